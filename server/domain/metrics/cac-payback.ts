/**
 * CAC payback inputs per channel and month, and per channel over the whole period. Pure: the counts in,
 * the table out. A channel is the ad-spend channel and the lead channel of the deals won (section 8's
 * taxonomy names both); won deals without a lead channel form a row with `channel: null` and no spend.
 *
 * - spend: ad spend of the month (all campaigns);
 * - won deals, won amount: deals at Closed Won whose close date is in the month, and the sum of their
 *   amounts; average won amount = won amount ÷ won deals that have an amount (cents, rounded);
 * - new customers: customers (a deal's company with the lowest id, or the deal itself without one)
 *   whose first won deal closed in the month, counted under that deal's lead channel;
 * - CAC (period rows only): spend ÷ new customers (cents, rounded); null without new customers.
 *
 * Payback months need a gross margin per customer, which HubSpot does not hold: these are its inputs.
 */
export type CacMonthInput = {
  month: string;
  channel: string | null;
  spendCents?: number;
  wonDeals?: number;
  wonAmountCents?: number;
  wonWithAmount?: number;
  newCustomers?: number;
};

export type CacRow = {
  channel: string | null;
  spendCents: number;
  wonDeals: number;
  newCustomers: number;
  wonAmountCents: number;
  averageWonAmountCents: number | null;
};
export type CacMonthRow = CacRow & { month: string };
export type CacChannelRow = CacRow & { cacCents: number | null };

export function cacPaybackInputs(inputs: readonly CacMonthInput[]): {
  months: CacMonthRow[];
  channels: CacChannelRow[];
} {
  const months = new Map<string, CacMonthRow & { withAmount: number }>();
  const channels = new Map<string, CacChannelRow & { withAmount: number }>();
  const empty = (channel: string | null) => ({
    channel,
    spendCents: 0,
    wonDeals: 0,
    newCustomers: 0,
    wonAmountCents: 0,
    averageWonAmountCents: null,
    withAmount: 0,
  });
  for (const input of inputs) {
    const key = `${input.month}\u0000${input.channel ?? ''}\u0000${input.channel === null ? 0 : 1}`;
    const ckey = `${input.channel ?? ''}\u0000${input.channel === null ? 0 : 1}`;
    const month = months.get(key) ?? { month: input.month, ...empty(input.channel) };
    const channel = channels.get(ckey) ?? { ...empty(input.channel), cacCents: null };
    for (const row of [month, channel]) {
      row.spendCents += input.spendCents ?? 0;
      row.wonDeals += input.wonDeals ?? 0;
      row.wonAmountCents += input.wonAmountCents ?? 0;
      row.withAmount += input.wonWithAmount ?? 0;
      row.newCustomers += input.newCustomers ?? 0;
    }
    months.set(key, month);
    channels.set(ckey, channel);
  }
  const average = (row: { wonAmountCents: number; withAmount: number }) =>
    row.withAmount === 0 ? null : Math.round(row.wonAmountCents / row.withAmount);
  const byChannel = (a: CacRow, b: CacRow) =>
    a.channel === b.channel ? 0 : a.channel === null ? 1 : b.channel === null ? -1 : a.channel < b.channel ? -1 : 1;
  return {
    months: [...months.values()]
      .map(({ withAmount, ...row }) => ({ ...row, averageWonAmountCents: average({ ...row, withAmount }) }))
      .sort((a, b) => (a.month === b.month ? byChannel(a, b) : a.month < b.month ? -1 : 1)),
    channels: [...channels.values()]
      .map(({ withAmount, ...row }) => ({
        ...row,
        averageWonAmountCents: average({ ...row, withAmount }),
        cacCents: row.newCustomers === 0 ? null : Math.round(row.spendCents / row.newCustomers),
      }))
      .sort(byChannel),
  };
}

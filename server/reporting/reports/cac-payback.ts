import type { Queryable } from '../../db/pool.ts';
import { cacPaybackInputs, type CacChannelRow, type CacMonthRow } from '../../domain/metrics/cac-payback.ts';
import { channelCell, drillRecord, type Drill } from '../drill.ts';
import { filterParams, type ReportFilters } from '../filters.ts';

/**
 * CAC payback inputs v1 — per channel and UTC calendar month, and per channel over the period: ad
 * spend, deals won (in scope, at Closed Won, by close date) with their amount and average amount, and
 * new customers won (a customer is a deal's company with the lowest id, or the deal itself without one;
 * it is new in the month its first won deal closed, under that deal's lead channel); per channel, CAC =
 * spend ÷ new customers. `from`/`to` select whole months (the months they fall in); `channel` selects
 * the spend channel and the deals' lead channel; `icpTier`/`productLine`/`ownerId` select deals only
 * (spend carries none of them, so it stays the channel's whole spend). The arithmetic is the domain's
 * `cacPaybackInputs()` (domain/metrics/cac-payback.ts).
 *
 * Drill-down: `leadChannel` (`(none)` for deals without one), `month` (YYYY-MM; omitted: the period)
 * and `measure=won_deals|new_customers` → those deals with their amounts (which add up to the won
 * amount) and, for new customers, the customer each one made.
 */
export const CAC_PAYBACK_METRIC = { id: 'cac_payback_inputs', version: 1 } as const;

export type CacPaybackReport = { months: CacMonthRow[]; channels: CacChannelRow[] };

type WonDeal = {
  object_id: string;
  month: string;
  lead_channel: string | null;
  amount_cents: number | null;
  company_id: number | null;
  first: boolean;
};

/** The won deals the report counts, each marked when it is its customer's first won deal. */
async function wonDeals(db: Queryable, portalId: number, filters: ReportFilters): Promise<WonDeal[]> {
  const { rows } = await db.query<WonDeal>(
    `WITH won AS (
       SELECT r.object_id, r.lead_channel, r.icp_tier, r.product_line, r.owner_id, r.amount_cents, r.company_id,
              to_char(date_trunc('month', r.closed_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
              row_number() OVER (PARTITION BY coalesce(r.company_id, -r.object_id)
                                 ORDER BY r.closed_at, r.object_id) = 1 AS first
         FROM report_records r
        WHERE r.portal_id = $1 AND r.object_type = 'deals' AND r.stage = 'closed_won' AND r.closed_at IS NOT NULL)
     SELECT w.object_id::text AS object_id, w.month, w.lead_channel, w.amount_cents, w.company_id, w.first
       FROM won w
      WHERE ($2::date IS NULL OR w.month >= to_char($2::date, 'YYYY-MM'))
        AND ($3::date IS NULL OR w.month <= to_char($3::date, 'YYYY-MM'))
        AND ($4::text IS NULL OR w.lead_channel = $4) AND ($5::text IS NULL OR w.icp_tier = $5)
        AND ($6::text IS NULL OR w.product_line = $6) AND ($7::text IS NULL OR w.owner_id = $7)
      ORDER BY w.month, w.object_id`,
    [portalId, ...filterParams(filters)],
  );
  return rows;
}

export async function cacPaybackReport(
  db: Queryable,
  portalId: number,
  filters: ReportFilters,
): Promise<CacPaybackReport> {
  const spend = await db.query<{ month: string; channel: string; cents: string }>(
    `SELECT to_char(s.month, 'YYYY-MM') AS month, s.channel, sum(s.cents) AS cents FROM ad_spend s
      WHERE s.portal_id = $1
        AND ($2::date IS NULL OR to_char(s.month, 'YYYY-MM') >= to_char($2::date, 'YYYY-MM'))
        AND ($3::date IS NULL OR to_char(s.month, 'YYYY-MM') <= to_char($3::date, 'YYYY-MM'))
        AND ($4::text IS NULL OR s.channel = $4)
      GROUP BY 1, 2`,
    [portalId, filters.from ?? null, filters.to ?? null, filters.channel ?? null],
  );
  const won = await wonDeals(db, portalId, filters);
  return cacPaybackInputs([
    ...spend.rows.map((s) => ({ month: s.month, channel: s.channel, spendCents: Number(s.cents) })),
    ...won.map((d) => ({
      month: d.month,
      channel: d.lead_channel,
      wonDeals: 1,
      wonAmountCents: d.amount_cents ?? 0,
      wonWithAmount: d.amount_cents === null ? 0 : 1,
      newCustomers: d.first ? 1 : 0,
    })),
  ]);
}

export async function cacPaybackRecords(
  db: Queryable,
  portalId: number,
  filters: ReportFilters,
  cell: { leadChannel?: string | undefined; month?: string | undefined; measure: 'won_deals' | 'new_customers' },
): Promise<Drill> {
  const [byChannel, channel] = channelCell(cell.leadChannel);
  const deals = (await wonDeals(db, portalId, filters)).filter(
    (d) =>
      (!byChannel || d.lead_channel === channel) &&
      (cell.month === undefined || d.month === cell.month) &&
      (cell.measure === 'won_deals' || d.first),
  );
  const records = deals
    .sort((a, b) => Number(a.object_id) - Number(b.object_id))
    .map((d) =>
      drillRecord(portalId, 'deals', d.object_id, {
        month: d.month,
        lead_channel: d.lead_channel,
        amount_cents: d.amount_cents,
        customer: d.company_id === null ? `deal ${d.object_id}` : `company ${d.company_id}`,
      }),
    );
  return {
    figure: `${cell.measure === 'won_deals' ? 'Deals won' : 'New customers won (their first won deal)'}${
      byChannel ? `, lead channel ${channel ?? '(none)'}` : ''
    }${cell.month ? `, ${cell.month}` : ''}`,
    columns: ['month', 'lead_channel', 'amount_cents', 'customer'],
    records,
    sum: { column: 'amount_cents', value: deals.reduce((n, d) => n + (d.amount_cents ?? 0), 0) },
  };
}

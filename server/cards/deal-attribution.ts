import { coverage, type Touch } from '../domain/attribution/index.ts';
import type { Definitions } from '../domain/policy/index.ts';
import type { DealCreditRow } from '../db/repositories/card-reads.ts';
import type { CardReads } from './batched-reads.ts';
import { CardRefusal } from './card-refusal.ts';
import type { DealAttribution } from './contracts/deal.ts';

/** More touches than this behind one deal are summed by channel but not listed (keeps answers small). */
export const MAX_LISTED_TOUCHES = 500;

/** Credit rows read with the deal, of the model and kind named: used when those are what the card shows. */
export type CreditsRead = { model: string; kind: 'pipeline' | 'revenue'; rows: DealCreditRow[] };

/**
 * The model and kind a deal card will show, as far as `definitions` (the portal's cached ones, which
 * may be a version behind) tell, so their credits are read with the deal: one round trip instead of
 * two. `dealAttribution` checks the guess against the current definitions. Only a model those
 * definitions enable is read ahead: the read is shared with other requests, and a model id that is no
 * model (text Postgres cannot take) must fail alone, as a refusal, not their statement.
 */
export function creditsToRead(
  definitions: Definitions | undefined,
  pick: { model?: string | undefined; kind?: 'pipeline' | 'revenue' | undefined },
): { model: string; kind: 'pipeline' | 'revenue' } | undefined {
  const enabled = definitions?.attribution.models.filter((m) => m.enabled) ?? [];
  const model = pick.model === undefined ? enabled[0] : enabled.find((m) => m.id === pick.model);
  return model === undefined ? undefined : { model: model.id, kind: pick.kind ?? 'pipeline' };
}

/**
 * A deal's attribution as attribution last stored it: the credit rows of one model and kind, summed
 * by channel, the touches behind them and the deal's coverage (the domain's rule over those touches).
 */
export async function dealAttribution(
  reads: CardReads,
  portalId: number,
  dealId: number,
  definitions: Definitions,
  pick: { model?: string | undefined; kind?: 'pipeline' | 'revenue' | undefined },
  read?: CreditsRead,
): Promise<DealAttribution> {
  const models = definitions.attribution.models.filter((m) => m.enabled).map((m) => ({ id: m.id, label: m.label }));
  const model = pick.model ?? models[0]?.id;
  if (model === undefined || !models.some((m) => m.id === model))
    throw new CardRefusal(
      'invalid_request',
      `"${pick.model}" is not an attribution model of this portal; the models are ${models.map((m) => m.id).join(', ')}.`,
      'model',
    );
  const kind = pick.kind ?? 'pipeline';
  const rows =
    read !== undefined && read.model === model && read.kind === kind
      ? read.rows
      : await reads.dealCredits({ portalId, dealId, model, kind });
  const channelLabel = labeller(definitions);

  const byChannel = new Map<string, number>();
  for (const row of rows) byChannel.set(row.channel, (byChannel.get(row.channel) ?? 0) + row.cents);
  const touches: Touch[] = rows.flatMap((row) =>
    row.touchId === null || row.occurredAt === null || row.contactId === null || row.source === null
      ? []
      : [
          {
            id: row.touchId,
            contactId: String(row.contactId),
            time: row.occurredAt,
            channel: row.channel,
            trackable: row.trackable ?? false,
            campaignId: row.campaignId,
            offerId: row.offerId,
            contentId: row.contentId,
            source: row.source,
          },
        ],
  );
  const creditedCents = rows.reduce((sum, row) => sum + row.cents, 0);
  const centsOf = new Map(rows.map((row) => [row.touchId, row.cents]));
  const computedAt = rows.reduce<number | null>(
    (latest, r) => (latest === null || r.computedAt > latest ? r.computedAt : latest),
    null,
  );
  return {
    models,
    model,
    kind,
    creditedCents,
    byChannel: [...byChannel]
      .map(([channel, cents]) => ({ channel, label: channelLabel(channel), cents }))
      .sort((a, b) => b.cents - a.cents || (a.channel < b.channel ? -1 : 1)),
    touches: touches.slice(0, MAX_LISTED_TOUCHES).map((t) => ({
      id: t.id,
      contactId: t.contactId,
      occurredAt: new Date(t.time).toISOString(),
      channel: t.channel,
      channelLabel: channelLabel(t.channel),
      trackable: t.trackable,
      campaignId: t.campaignId,
      source: t.source,
      cents: centsOf.get(t.id) ?? 0,
    })),
    coverage: coverage(rows.length === 0 ? [] : [{ cents: creditedCents, touches }]),
    computedAt: computedAt === null ? null : new Date(computedAt).toISOString(),
  };
}

/** A channel's label: its option's label in the channel picklist, else the channel id itself. */
export function labeller(definitions: Definitions): (channel: string) => string {
  const picklist = definitions.picklists.find((p) => p.name === definitions.channels.picklist);
  const labels = new Map((picklist?.options ?? []).map((o) => [o.value, o.label]));
  return (channel) => labels.get(channel) ?? channel;
}

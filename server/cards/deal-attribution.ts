import { dealCredits } from '../db/repositories/card-reads.ts';
import type { Queryable } from '../db/pool.ts';
import { coverage, type Touch } from '../domain/attribution/index.ts';
import type { Definitions } from '../domain/policy/index.ts';
import { CardRefusal } from './card-refusal.ts';
import type { DealAttribution } from './contracts/deal.ts';

/** More touches than this behind one deal are summed by channel but not listed (keeps answers small). */
export const MAX_LISTED_TOUCHES = 500;

/**
 * A deal's attribution as attribution last stored it: the credit rows of one model and kind, summed
 * by channel, the touches behind them and the deal's coverage (the domain's rule over those touches).
 */
export async function dealAttribution(
  db: Queryable,
  portalId: number,
  dealId: number,
  definitions: Definitions,
  pick: { model?: string | undefined; kind?: 'pipeline' | 'revenue' | undefined },
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
  const rows = await dealCredits(db, portalId, dealId, model, kind);
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
            time: row.occurredAt.getTime(),
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
  const computedAt = rows.reduce<Date | null>(
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
    computedAt: computedAt?.toISOString() ?? null,
  };
}

/** A channel's label: its option's label in the channel picklist, else the channel id itself. */
export function labeller(definitions: Definitions): (channel: string) => string {
  const picklist = definitions.picklists.find((p) => p.name === definitions.channels.picklist);
  const labels = new Map((picklist?.options ?? []).map((o) => [o.value, o.label]));
  return (channel) => labels.get(channel) ?? channel;
}

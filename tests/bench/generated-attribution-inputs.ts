import type {
  ContactRecord,
  DealForAttribution,
  HubSpotEvent,
  IngestTouch,
} from '../../server/domain/attribution/index.ts';
import { readDeal } from '../../server/domain/attribution/index.ts';
import { stagedRecord } from '../../server/domain/hygiene/index.ts';
import type { Definitions } from '../../server/domain/policy/index.ts';
import { DEFAULT_NOW } from './fixture-generator.ts';
import { planBlock, type BlockNeeds } from './generator/plan-block.ts';
import { blockCount, type PlanContext } from './generator/plan-context.ts';
import { ownerCount, planOwners } from './generator/plan-portal.ts';
import { renderContact, renderDeal, renderEvent, renderTouch } from './generator/render.ts';

/**
 * A generated portal's attribution inputs held in memory, as the use case would have them after reading
 * the mirror that `seedGeneratedMirror` writes for the same options: every contact, its events and
 * ingested touches, and every deal with its scope and stage (the hygiene engine's view) and contacts.
 * For measuring the pure engine without Postgres. Contacts keep only the properties attribution reads.
 */
export type AttributionInputs = {
  contacts: ContactRecord[];
  events: HubSpotEvent[];
  ingest: IngestTouch[];
  deals: DealForAttribution[];
};

export function generatedAttributionInputs(
  options: { contacts: number; seed: number; now?: string },
  definitions: Definitions,
): AttributionInputs {
  const now = Date.parse(options.now ?? DEFAULT_NOW);
  const ctx: PlanContext = {
    seed: options.seed,
    now,
    contacts: options.contacts,
    ownerIds: planOwners(ownerCount(options.contacts)).map((o) => o.id),
  };
  const blocks = blockCount(options.contacts);
  const contacts: ContactRecord[] = [];
  const ingest: IngestTouch[] = [];
  const deals: DealForAttribution[] = [];
  const events: HubSpotEvent[] = [];
  const everything: BlockNeeds = { contacts: true, events: true, deals: true };
  const read = ['createdate', 'email', definitions.channels.analyticsSource.property];
  for (let b = 0; b < blocks; b++) {
    const block = planBlock(ctx, b, everything);
    for (const plan of block.contacts) {
      const { id, properties } = renderContact(plan);
      contacts.push({ id, properties: Object.fromEntries(read.map((p) => [p, properties[p] ?? null])) });
      for (const event of plan.events) events.push(renderEvent(event));
      if (plan.touch) {
        const t = renderTouch(plan.touch);
        // As the ingest API stores them (see seed-generated-mirror.ts).
        ingest.push({
          id: `ingest-${ingest.length}`,
          occurredAt: t.occurredAt,
          channel: t.channel,
          campaignId: t.campaignId,
          offerId: t.offerId,
          contentId: t.contentId,
          contactId: null,
          contactEmail: t.contactEmail.trim().toLowerCase(),
        });
      }
    }
    for (const plan of block.deals) {
      const record = { objectType: 'deal' as const, ...renderDeal(plan) };
      const staged = stagedRecord(record, definitions, now);
      deals.push(
        readDeal(
          { id: record.id, properties: record.properties, contactIds: plan.contactIds },
          { inScope: staged !== undefined, stage: staged?.stage },
        ),
      );
    }
  }
  return { contacts, events, ingest, deals };
}

import type pg from 'pg';
import { ensureFirstDefinitions } from '../../server/db/repositories/definitions.ts';
import { insertIngestedTouches, type IngestedTouch } from '../../server/db/repositories/ingest.ts';
import { insertAssociations, type AssociationRow } from '../../server/db/repositories/mirror-associations.ts';
import { upsertHubSpotEvents, type HubSpotEventRow } from '../../server/db/repositories/mirror-events.ts';
import {
  upsertMirrorRecords,
  type MirrorRecord,
  type MirrorTable,
} from '../../server/db/repositories/mirror-objects.ts';
import { upsertOwners } from '../../server/db/repositories/mirror-owners.ts';
import { upsertPipelines } from '../../server/db/repositories/mirror-pipelines.ts';
import { insertStageEvents, type StageEventRow } from '../../server/db/repositories/mirror-stage-events.ts';
import { DEFAULT_DEFINITIONS } from '../../server/domain/policy/default-policy.ts';
import { DEFAULT_NOW, DEFAULT_PORTAL_ID } from './fixture-generator.ts';
import type { BlockPlan } from './generator/plan.ts';
import { planBlock, type BlockNeeds } from './generator/plan-block.ts';
import { blockCount } from './generator/plan-context.ts';
import type { PlanContext } from './generator/plan-context.ts';
import { ownerCount, planOwners } from './generator/plan-portal.ts';
import {
  renderCompany,
  renderContact,
  renderDeal,
  renderEvent,
  renderTicket,
  renderTouch,
} from './generator/render.ts';
import { PIPELINES } from './generator/vocabulary.ts';

/**
 * Puts a generated portal (the fixture generator's plans, rendered as the fixture holds them) straight
 * into a migrated database, as a finished full sync would leave it: the four mirror tables, stage
 * events, associations, owners, pipelines, the default definitions and, when asked, the contacts'
 * events and the ingested offline touches. It writes through the app's own repository functions (the
 * sync's statements), in batches, so the rows are the ones the sync writes, without a sandbox or HTTP.
 * Setup for the benchmarks, not measured.
 */

export type SeedOptions = {
  contacts: number;
  seed: number;
  now?: string;
  portalId?: number;
  /** Also the attribution inputs: HubSpot events and ingested touches. */
  events: boolean;
  /** Called after each block of 1,000 contacts, with the contacts seeded so far. */
  onProgress?: (contacts: number) => void;
};

export type SeedCounts = {
  contacts: number;
  companies: number;
  deals: number;
  tickets: number;
  stageEvents: number;
  associations: number;
  events: number;
  ingestTouches: number;
};

const STAGE_PROPERTY = { contacts: 'lifecyclestage', deals: 'dealstage', tickets: 'hs_pipeline_stage' } as const;

type Rendered = {
  id: string;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  properties: Record<string, string>;
  propertiesWithHistory?: Record<string, { value: string; timestamp: string; sourceType: string }[]>;
};

const mirrorRecord = (r: Rendered): MirrorRecord => ({
  id: Number(r.id),
  properties: r.properties,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  archived: r.archived,
});

function stageEventsOf(records: readonly Rendered[], property: string): StageEventRow[] {
  return records.flatMap((r) =>
    (r.propertiesWithHistory?.[property] ?? []).map((entry) => ({
      objectId: Number(r.id),
      property,
      value: entry.value,
      occurredAt: entry.timestamp,
      sourceType: entry.sourceType,
      sourceId: null,
      sourceLabel: null,
      updatedByUserId: null,
    })),
  );
}

/** The associations of one block, in the stored direction (the type that sorts first is `from`). */
function associationsOf(block: BlockPlan): AssociationRow[] {
  const rows: AssociationRow[] = [];
  for (const contact of block.contacts)
    rows.push({
      fromType: 'companies',
      fromId: Number(contact.companyId),
      toType: 'contacts',
      toId: Number(contact.id),
    });
  for (const deal of block.deals)
    for (const contactId of deal.contactIds)
      rows.push({ fromType: 'contacts', fromId: Number(contactId), toType: 'deals', toId: Number(deal.id) });
  for (const ticket of block.tickets)
    if (ticket.dealId !== undefined)
      rows.push({ fromType: 'deals', fromId: Number(ticket.dealId), toType: 'tickets', toId: Number(ticket.id) });
  return rows;
}

export async function seedGeneratedMirror(db: pg.Pool, options: SeedOptions): Promise<SeedCounts> {
  const now = options.now ?? DEFAULT_NOW;
  const portalId = options.portalId ?? DEFAULT_PORTAL_ID;
  const owners = planOwners(ownerCount(options.contacts));
  const ctx: PlanContext = {
    seed: options.seed,
    now: Date.parse(now),
    contacts: options.contacts,
    ownerIds: owners.map((o) => o.id),
  };
  await db.query(`INSERT INTO portals (portal_id, hub_domain) VALUES ($1, $2)`, [
    portalId,
    `bench-${portalId}.example.com`,
  ]);
  await ensureFirstDefinitions(db, portalId, DEFAULT_DEFINITIONS);
  await upsertOwners(
    db,
    portalId,
    owners.map((o) => ({ id: o.id, email: o.email, firstName: o.firstName, lastName: o.lastName, archived: false })),
  );
  await upsertPipelines(db, portalId, [
    ...PIPELINES.deals.map((p) => ({ ...p, objectType: 'deals' as const })),
    ...PIPELINES.tickets.map((p) => ({ ...p, objectType: 'tickets' as const })),
  ]);

  const counts: SeedCounts = {
    contacts: 0,
    companies: 0,
    deals: 0,
    tickets: 0,
    stageEvents: 0,
    associations: 0,
    events: 0,
    ingestTouches: 0,
  };
  const needs: BlockNeeds = { contacts: true, events: options.events, deals: true };
  // One block is written while the next is planned: Postgres and Node each get a CPU. A block's writes
  // go one after another: run at once, the change-log triggers of two of them (a record's upsert and
  // its associations' insert) mark the same records in opposite orders and can deadlock.
  let inFlight: Promise<unknown> = Promise.resolve();
  for (let b = 0; b < blockCount(options.contacts); b++) {
    const block = planBlock(ctx, b, needs);
    const writes = blockWrites(block, counts);
    await inFlight;
    inFlight = (async () => {
      for (const write of writes) await write(db, portalId);
    })();
    options.onProgress?.(counts.contacts);
  }
  await inFlight;
  return counts;
}

type Write = (db: pg.Pool, portalId: number) => Promise<unknown>;

/** Renders one block into the writes that store it, and counts what they store. */
function blockWrites(block: BlockPlan, counts: SeedCounts): Write[] {
  const writes: Write[] = [];
  const records = (table: MirrorTable, rendered: Rendered[]) => {
    counts[table] += rendered.length;
    writes.push((db, portalId) => upsertMirrorRecords(db, portalId, table, rendered.map(mirrorRecord)));
    if (table === 'companies') return;
    const events = stageEventsOf(rendered, STAGE_PROPERTY[table]);
    counts.stageEvents += events.length;
    writes.push((db, portalId) => insertStageEvents(db, portalId, table, events));
  };
  records('contacts', block.contacts.map(renderContact));
  records('companies', block.companies.map(renderCompany));
  records('deals', block.deals.map(renderDeal));
  records('tickets', block.tickets.map(renderTicket));
  const associations = associationsOf(block);
  counts.associations += associations.length;
  writes.push((db, portalId) => insertAssociations(db, portalId, associations));

  const events: HubSpotEventRow[] = block.contacts.flatMap((contact) =>
    contact.events.map((plan) => {
      const e = renderEvent(plan);
      return { ...e, objectId: Number(e.objectId) };
    }),
  );
  if (events.length > 0) {
    counts.events += events.length;
    writes.push((db, portalId) => upsertHubSpotEvents(db, portalId, events));
  }
  // As the ingest API stores them: emails trimmed and lower-cased; ids as the demo sends them.
  const touches: IngestedTouch[] = [];
  for (const contact of block.contacts) {
    if (!contact.touch) continue;
    const t = renderTouch(contact.touch);
    touches.push({
      id: `ingest-${counts.ingestTouches + touches.length}`,
      occurredAt: t.occurredAt,
      channel: t.channel,
      campaignId: t.campaignId,
      offerId: t.offerId,
      contentId: t.contentId,
      contactId: null,
      contactEmail: t.contactEmail.trim().toLowerCase(),
    });
  }
  if (touches.length > 0) {
    counts.ingestTouches += touches.length;
    writes.push((db, portalId) => insertIngestedTouches(db, portalId, touches));
  }
  return writes;
}

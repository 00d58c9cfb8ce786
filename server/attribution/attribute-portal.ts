import { currentDefinitions } from '../definitions/current-definitions.ts';
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { saveComputedProperties, type ComputedRow } from '../db/repositories/computed-properties.ts';
import { replaceCredits, replaceTouches, type CreditRecord } from '../db/repositories/attribution.ts';
import {
  contactChannelProperties,
  dealChannelProperties,
  ticketChannelProperties,
  contactIndex,
  coverageOfDeals,
  createAttributionEngine,
  parseHubSpotTime,
  readDeal,
  touchesOfContacts,
  type Coverage,
  type CreditRow,
  type DealForAttribution,
} from '../domain/attribution/index.ts';
import { stagedRecord } from '../domain/hygiene/index.ts';
import { loadRecords, nextRecordIds } from '../hygiene/load-records.ts';
import { loadContacts, loadEvents, loadIngestedTouches } from './load-inputs.ts';

export type AttributionSummary = {
  definitionsVersion: number;
  touches: number;
  trackableTouches: number;
  unmatchedIngest: string[];
  creditedDeals: number;
  creditRows: number;
  coverage: { pipeline: Coverage; revenue: Coverage };
};

/**
 * Attribution for a whole portal under its current definitions: touches from the synced events, the
 * ingested offline touches and the contacts' original source; then credit rows for every deal in scope,
 * for every model and kind, to the cent. Touches and credits are replaced together in one transaction,
 * so readers never see credits of touches that no longer exist.
 */
export async function attributePortal(
  db: pg.Pool,
  portalId: number,
  options: { now: Date },
): Promise<AttributionSummary> {
  const latest = await currentDefinitions(db, portalId);
  const definitions = latest.definitions;

  const contacts = await loadContacts(db, portalId);
  const { byContact, unmatchedIngest } = touchesOfContacts(
    { contacts, events: await loadEvents(db, portalId), ingest: await loadIngestedTouches(db, portalId) },
    definitions,
  );
  const createdAt = new Map(contacts.map((c) => [c.id, parseHubSpotTime(c.properties.createdate)]));
  const index = contactIndex(byContact, createdAt);

  const deals = await loadDeals(db, portalId, definitions, options.now.getTime());
  const engine = createAttributionEngine(definitions);
  const rows: CreditRow[] = [];
  for (const deal of deals) engine.creditDeal(deal, index, rows);

  // Section 8's channel properties, for write-back.
  const now = options.now.getTime();
  const channelRows: ComputedRow[] = [];
  const add = (objectType: string, id: string, properties: Record<string, string | undefined>) => {
    const defined = Object.fromEntries(
      Object.entries(properties).filter((e): e is [string, string] => e[1] !== undefined),
    );
    if (Object.keys(defined).length > 0) channelRows.push({ objectType, objectId: Number(id), properties: defined });
  };
  for (const [contactId, contactTouches] of byContact)
    add('contacts', contactId, contactChannelProperties(contactTouches, now, definitions));
  const leadChannel = new Map<string, string | undefined>();
  for (const deal of deals) {
    const properties = dealChannelProperties(deal, index, now, definitions);
    leadChannel.set(deal.id, properties.clr_lead_channel);
    add('deals', deal.id, properties);
  }
  for (const ticket of await loadTicketDeals(db, portalId)) {
    add(
      'tickets',
      ticket.id,
      ticketChannelProperties(ticket.dealIds, (id) => leadChannel.get(id), definitions),
    );
  }

  const touches = [...byContact.values()].flat();
  await withTransaction(db, async (tx) => {
    await saveComputedProperties(tx, portalId, 'attribution', options.now, channelRows);
    await replaceTouches(
      tx,
      portalId,
      touches.map((t) => ({
        id: t.id,
        source: t.source,
        contactId: Number(t.contactId),
        occurredAt: new Date(t.time),
        channel: t.channel,
        trackable: t.trackable,
        campaignId: t.campaignId,
        offerId: t.offerId,
        contentId: t.contentId,
      })),
    );
    await replaceCredits(tx, portalId, latest.version, rows.map(toRecord));
  });
  return {
    definitionsVersion: latest.version,
    touches: touches.length,
    trackableTouches: touches.filter((t) => t.trackable).length,
    unmatchedIngest,
    creditedDeals: new Set(rows.map((r) => r.dealId)).size,
    creditRows: rows.length,
    coverage: {
      pipeline: coverageOfDeals(deals, index, engine, 'pipeline'),
      revenue: coverageOfDeals(deals, index, engine, 'revenue'),
    },
  };
}

/** Every live deal with its scope and closed-loop stage (the hygiene engine's view) and its contacts. */
async function loadDeals(
  db: pg.Pool,
  portalId: number,
  definitions: Parameters<typeof stagedRecord>[1],
  now: number,
): Promise<DealForAttribution[]> {
  const deals: DealForAttribution[] = [];
  for (let afterId = 0; ;) {
    const ids = await nextRecordIds(db, portalId, 'deal', afterId, 1_000);
    if (ids.length === 0) return deals;
    afterId = ids.at(-1)!;
    for (const record of await loadRecords(db, portalId, 'deal', ids)) {
      const staged = stagedRecord(record, definitions, now);
      const contactIds = (record.associations ?? []).filter((a) => a.objectType === 'contact').map((a) => a.id);
      deals.push(
        readDeal(
          { id: record.id, properties: record.properties, contactIds },
          { inScope: staged !== undefined, stage: staged?.stage },
        ),
      );
    }
  }
}

/** Every live ticket with its associated deals' ids. */
async function loadTicketDeals(db: pg.Pool, portalId: number): Promise<{ id: string; dealIds: string[] }[]> {
  const tickets: { id: string; dealIds: string[] }[] = [];
  for (let afterId = 0; ;) {
    const ids = await nextRecordIds(db, portalId, 'ticket', afterId, 1_000);
    if (ids.length === 0) return tickets;
    afterId = ids.at(-1)!;
    for (const record of await loadRecords(db, portalId, 'ticket', ids)) {
      tickets.push({
        id: record.id,
        dealIds: (record.associations ?? []).filter((a) => a.objectType === 'deal').map((a) => a.id),
      });
    }
  }
}

function toRecord(row: CreditRow): CreditRecord {
  return {
    dealId: Number(row.dealId),
    model: row.model,
    kind: row.kind,
    touchId: row.touchId,
    channel: row.channel,
    campaignId: row.campaignId,
    cents: row.cents,
  };
}

import { currentDefinitions } from '../definitions/current-definitions.ts';
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import {
  deleteAllComputedProperties,
  saveComputedProperties,
  type ComputedRow,
} from '../db/repositories/computed-properties.ts';
import { advanceCursor, latestChangeId } from '../db/repositories/record-changes.ts';
import { replaceCredits, replaceTouches } from '../db/repositories/attribution.ts';
import {
  contactChannelProperties,
  dealChannelProperties,
  ticketChannelProperties,
  contactIndex,
  coverageOfDeals,
  createAttributionEngine,
  parseHubSpotTime,
  touchesOfContacts,
  type Coverage,
  type CreditRow,
  type DealForAttribution,
} from '../domain/attribution/index.ts';
import type { Definitions } from '../domain/policy/index.ts';
import { nextRecordIds } from '../hygiene/load-records.ts';
import { channelRow } from './channel-row.ts';
import { toCreditRecord, toTouchRow } from './stored-rows.ts';
import { loadDealsForAttribution, loadTicketDeals } from './load-deals.ts';
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
  const coveredThrough = await latestChangeId(db, portalId);
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
    const row = channelRow(objectType, id, properties);
    if (row) channelRows.push(row);
  };
  for (const [contactId, contactTouches] of byContact)
    add('contacts', contactId, contactChannelProperties(contactTouches, now, definitions));
  const leadChannel = new Map<string, string | undefined>();
  for (const deal of deals) {
    const properties = dealChannelProperties(deal, index, now, definitions);
    leadChannel.set(deal.id, properties.clr_lead_channel);
    add('deals', deal.id, properties);
  }
  for (const ticket of await loadAllTicketDeals(db, portalId)) {
    add(
      'tickets',
      ticket.id,
      ticketChannelProperties(ticket.dealIds, (id) => leadChannel.get(id), definitions),
    );
  }

  const touches = [...byContact.values()].flat();
  await withTransaction(db, async (tx) => {
    await deleteAllComputedProperties(tx, portalId, 'attribution');
    await saveComputedProperties(tx, portalId, 'attribution', options.now, channelRows);
    await replaceTouches(tx, portalId, touches.map(toTouchRow));
    await replaceCredits(tx, portalId, latest.version, rows.map(toCreditRecord));
    // Every change logged before the run started is covered by it.
    await advanceCursor(tx, portalId, 'attribution', coveredThrough);
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

/** Every live deal, in id order, as attribution reads it. */
async function loadDeals(
  db: pg.Pool,
  portalId: number,
  definitions: Definitions,
  now: number,
): Promise<DealForAttribution[]> {
  const deals: DealForAttribution[] = [];
  for (let afterId = 0; ;) {
    const ids = await nextRecordIds(db, portalId, 'deal', afterId, 1_000);
    if (ids.length === 0) return deals;
    afterId = ids.at(-1)!;
    deals.push(...(await loadDealsForAttribution(db, portalId, ids, definitions, now)));
  }
}

/** Every live ticket with its associated deals' ids. */
async function loadAllTicketDeals(db: pg.Pool, portalId: number): Promise<{ id: string; dealIds: string[] }[]> {
  const tickets: { id: string; dealIds: string[] }[] = [];
  for (let afterId = 0; ;) {
    const ids = await nextRecordIds(db, portalId, 'ticket', afterId, 1_000);
    if (ids.length === 0) return tickets;
    afterId = ids.at(-1)!;
    tickets.push(...(await loadTicketDeals(db, portalId, ids)));
  }
}

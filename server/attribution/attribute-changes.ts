import type pg from 'pg';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { associatedIds } from '../db/repositories/associated-ids.ts';
import {
  listTouchesOfContacts,
  replaceCreditsOfDeals,
  replaceTouchesOfContacts,
} from '../db/repositories/attribution.ts';
import {
  computedPropertiesOf,
  deleteComputedProperties,
  saveComputedProperties,
  type ComputedRow,
} from '../db/repositories/computed-properties.ts';
import { advanceCursor, claimChanges, pruneChanges, type ChangedRecord } from '../db/repositories/record-changes.ts';
import { currentDefinitions } from '../definitions/current-definitions.ts';
import {
  contactChannelProperties,
  contactIndex,
  createAttributionEngine,
  dealChannelProperties,
  parseHubSpotTime,
  sortTouches,
  ticketChannelProperties,
  touchesOfContacts,
  type CreditRow,
  type Touch,
} from '../domain/attribution/index.ts';
import type { Definitions } from '../domain/policy/index.ts';
import { channelRow } from './channel-row.ts';
import { loadDealsForAttribution, loadTicketDeals } from './load-deals.ts';
import {
  contactsSharingAddresses,
  loadContactsByIds,
  loadEventsOfContacts,
  loadIngestedTouchesFor,
} from './load-inputs.ts';
import { fromTouchRow, toCreditRecord, toTouchRow } from './stored-rows.ts';

export type AttributionChangesSummary = { batches: number; changed: number; contacts: number; deals: number };

/**
 * Recomputes attribution for what changed in the mirror since attribution last looked (the change log
 * of migration 0009): the touches of the changed contacts (and of the contacts sharing an address with
 * them, since an ingested touch goes to the survivor of its address), the credits of the changed deals
 * and of the deals of those contacts, and the channel properties of all of them and their tickets.
 * Nothing else is read or written, so the cost follows the change, not the portal. Batch by batch, each
 * one transaction that claims the changes, writes the results and moves the cursor.
 */
export async function attributePendingChanges(
  db: pg.Pool,
  portalId: number,
  options: { now: Date; batchSize?: number; signal?: AbortSignal | undefined },
): Promise<AttributionChangesSummary> {
  const summary: AttributionChangesSummary = { batches: 0, changed: 0, contacts: 0, deals: 0 };
  const batchSize = options.batchSize ?? 2_000;
  for (;;) {
    if (options.signal?.aborted) break;
    const done = await withTransaction(db, async (tx) => {
      const batch = await claimChanges(tx, portalId, 'attribution', batchSize);
      if (batch.records.length === 0) return undefined;
      const current = await currentDefinitions(tx, portalId);
      const result = await attributeChanged(tx, portalId, current, batch.records, options.now);
      await advanceCursor(tx, portalId, 'attribution', batch.throughId);
      return { changed: batch.records.length, ...result };
    });
    if (done === undefined) break;
    summary.batches++;
    summary.changed += done.changed;
    summary.contacts += done.contacts;
    summary.deals += done.deals;
  }
  await pruneChanges(db, portalId);
  return summary;
}

async function attributeChanged(
  tx: Queryable,
  portalId: number,
  current: { version: number; definitions: Definitions },
  changed: readonly ChangedRecord[],
  nowDate: Date,
): Promise<{ contacts: number; deals: number }> {
  const { definitions } = current;
  const now = nowDate.getTime();
  const idsOf = (table: string) => changed.filter((r) => r.objectType === table).map((r) => r.objectId);

  // What to compute again: contacts → their deals → those deals' tickets.
  const contactIds = await contactsSharingAddresses(tx, portalId, idsOf('contacts'));
  const dealIds = union(idsOf('deals'), await associatedIds(tx, portalId, 'contacts', contactIds, 'deals'));
  const ticketIds = union(idsOf('tickets'), await associatedIds(tx, portalId, 'deals', dealIds, 'tickets'));

  const contacts = await loadContactsByIds(tx, portalId, contactIds);
  const { byContact } = touchesOfContacts(
    {
      contacts,
      events: await loadEventsOfContacts(tx, portalId, contactIds),
      ingest: await loadIngestedTouchesFor(tx, portalId, contactIds),
    },
    definitions,
  );
  const deals = await loadDealsForAttribution(tx, portalId, dealIds, definitions, now);

  // The deals' other contacts did not change: their stored touches are current.
  const derived = new Set(contactIds.map(String));
  const others = [...new Set(deals.flatMap((d) => d.contactIds))].filter((id) => !derived.has(id)).map(Number);
  const touches = new Map<string, Touch[]>(byContact);
  for (const row of await listTouchesOfContacts(tx, portalId, others)) {
    const touch = fromTouchRow(row);
    const list = touches.get(touch.contactId);
    if (list === undefined) touches.set(touch.contactId, [touch]);
    else list.push(touch);
  }
  for (const [id, list] of touches) if (!derived.has(id)) touches.set(id, sortTouches(list));
  const createdAt = new Map(
    [...contacts, ...(await loadContactsByIds(tx, portalId, others))].map((c) => [
      c.id,
      parseHubSpotTime(c.properties.createdate),
    ]),
  );
  const index = contactIndex(touches, createdAt);

  const engine = createAttributionEngine(definitions);
  const credits: CreditRow[] = [];
  for (const deal of deals) engine.creditDeal(deal, index, credits);

  // Section 8's channel properties, for write-back.
  const rows: ComputedRow[] = [];
  const add = (row: ComputedRow | undefined) => row && rows.push(row);
  for (const contact of contacts)
    add(
      channelRow('contacts', contact.id, contactChannelProperties(byContact.get(contact.id) ?? [], now, definitions)),
    );
  const leadChannel = new Map<string, string | undefined>();
  for (const deal of deals) {
    const properties = dealChannelProperties(deal, index, now, definitions);
    leadChannel.set(deal.id, properties.clr_lead_channel);
    add(channelRow('deals', deal.id, properties));
  }
  const tickets = await loadTicketDeals(tx, portalId, ticketIds);
  const otherDeals = [...new Set(tickets.flatMap((t) => t.dealIds))].filter((id) => !leadChannel.has(id));
  const stored = await computedPropertiesOf(tx, portalId, 'attribution', 'deals', otherDeals.map(Number));
  for (const [id, properties] of stored) leadChannel.set(String(id), properties.clr_lead_channel);
  for (const ticket of tickets)
    add(
      channelRow(
        'tickets',
        ticket.id,
        ticketChannelProperties(ticket.dealIds, (id) => leadChannel.get(id), definitions),
      ),
    );

  await deleteComputedProperties(tx, portalId, 'attribution', 'contacts', contactIds);
  await deleteComputedProperties(tx, portalId, 'attribution', 'deals', dealIds);
  await deleteComputedProperties(tx, portalId, 'attribution', 'tickets', ticketIds);
  await saveComputedProperties(tx, portalId, 'attribution', nowDate, rows);
  await replaceTouchesOfContacts(
    tx,
    portalId,
    contactIds,
    contacts.flatMap((c) => (byContact.get(c.id) ?? []).map(toTouchRow)),
  );
  await replaceCreditsOfDeals(tx, portalId, current.version, dealIds, credits.map(toCreditRecord));
  return { contacts: contactIds.length, deals: dealIds.length };
}

function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

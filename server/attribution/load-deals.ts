import type { Queryable } from '../db/pool.ts';
import { readDeal, type DealForAttribution } from '../domain/attribution/index.ts';
import { stagedRecord } from '../domain/hygiene/index.ts';
import type { Definitions } from '../domain/policy/index.ts';
import { loadRecords } from '../hygiene/load-records.ts';

/** Live deals by id with their scope and closed-loop stage (the hygiene engine's view) and their contacts. */
export async function loadDealsForAttribution(
  db: Queryable,
  portalId: number,
  ids: number[],
  definitions: Definitions,
  now: number,
): Promise<DealForAttribution[]> {
  return (await loadRecords(db, portalId, 'deal', ids)).map((record) => {
    const staged = stagedRecord(record, definitions, now);
    const contactIds = (record.associations ?? []).filter((a) => a.objectType === 'contact').map((a) => a.id);
    return readDeal(
      { id: record.id, properties: record.properties, contactIds },
      { inScope: staged !== undefined, stage: staged?.stage },
    );
  });
}

/** Live tickets by id with their associated deals' ids. */
export async function loadTicketDeals(
  db: Queryable,
  portalId: number,
  ids: number[],
): Promise<{ id: string; dealIds: string[] }[]> {
  return (await loadRecords(db, portalId, 'ticket', ids)).map((record) => ({
    id: record.id,
    dealIds: (record.associations ?? []).filter((a) => a.objectType === 'deal').map((a) => a.id),
  }));
}

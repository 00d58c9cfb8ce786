import { CRM_OBJECT_OF, HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import type { Queryable } from '../db/pool.ts';
import { listChecklistItems } from '../db/repositories/checklist-items.ts';
import type { CrmObject } from '../domain/policy/index.ts';
import type { DuplicateCandidate, RecordInput } from '../domain/hygiene/index.ts';

/**
 * Reads records from the mirror in the shape the hygiene engine takes: properties, stage history
 * (from stage_events, as HubSpot's propertiesWithHistory), associated records and checklist state.
 * One query per kind of data for a whole batch of ids, so a batch costs the same few round trips
 * whatever its size.
 */

const TABLE = HUBSPOT_OBJECT_TYPE;

type Row = { id: string; properties: Record<string, string | null>; created_at: string; updated_at: string };

// Instants as the engine takes them (`Date#toISOString`'s format, which is how HubSpot writes them and
// how the sync stored them, to the millisecond), formatted by Postgres: parsing each into a Date and
// writing it out again cost the evaluation of a large portal seconds. Years 1000 to 9999, as HubSpot's.
const ISO = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

/** Ids of a type's live records after `afterId`, in id order (keyset paging). */
export async function nextRecordIds(
  db: Queryable,
  portalId: number,
  objectType: CrmObject,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM crm_records WHERE portal_id = $1 AND object_type = $2 AND NOT archived AND id > $3
      ORDER BY id LIMIT $4`,
    [portalId, TABLE[objectType], afterId, limit],
  );
  return rows.map((r) => r.id);
}

export async function loadRecords(
  db: Queryable,
  portalId: number,
  objectType: CrmObject,
  ids: number[],
): Promise<RecordInput[]> {
  if (ids.length === 0) return [];
  const table = TABLE[objectType];
  const records = await db.query<Row>(
    `SELECT id::text AS id, properties, to_char(created_at AT TIME ZONE 'UTC', $4) AS created_at,
            to_char(updated_at AT TIME ZONE 'UTC', $4) AS updated_at FROM crm_records
      WHERE portal_id = $1 AND object_type = $2 AND id = ANY($3::bigint[]) AND NOT archived ORDER BY id`,
    [portalId, table, ids, ISO],
  );
  const history = await db.query<{
    object_id: string;
    property: string;
    value: string;
    occurred_at: string;
    source_type: string | null;
  }>(
    `SELECT object_id::text AS object_id, property, value, to_char(occurred_at AT TIME ZONE 'UTC', $4) AS occurred_at,
            source_type FROM stage_events
      WHERE portal_id = $1 AND object_type = $2 AND object_id = ANY($3::bigint[])`,
    [portalId, table, ids, ISO],
  );
  const associated = await loadAssociated(db, portalId, table, ids);
  const checklistItems = await listChecklistItems(db, portalId, table, ids);
  const byId = new Map<string, RecordInput>();
  for (const row of records.rows) {
    const ownerId = row.properties.hubspot_owner_id;
    byId.set(row.id, {
      objectType,
      id: row.id,
      properties: row.properties,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      ...(ownerId ? { ownerId } : {}),
      propertiesWithHistory: {},
      associations: associated.get(row.id) ?? [],
      checklistItems: [],
    });
  }
  for (const done of checklistItems) {
    byId.get(String(done.objectId))?.checklistItems?.push({
      checklist: done.checklist,
      item: done.item,
      doneBy: done.doneByEmail ?? `user ${done.doneByUserId}`,
      doneAt: done.doneAt.toISOString(),
    });
  }
  for (const entry of history.rows) {
    const record = byId.get(entry.object_id);
    if (!record?.propertiesWithHistory) continue;
    (record.propertiesWithHistory[entry.property] ??= []).push({
      value: entry.value,
      timestamp: entry.occurred_at,
      ...(entry.source_type ? { sourceType: entry.source_type } : {}),
    });
  }
  return [...byId.values()];
}

/**
 * The records each id is associated with, in both directions of the stored pairs. Deals carry their
 * properties (a ticket's contract-id check reads them); the others only their ids.
 *
 * Written as index lookups per id (a lateral subquery per id, a scalar subquery per deal) rather than
 * as joins: on a large portal the planner otherwise picks a parallel plan (tens of milliseconds of
 * worker start-up for a few milliseconds of work) or hashes every deal of the portal for one batch.
 */
async function loadAssociated(
  db: Queryable,
  portalId: number,
  table: string,
  ids: number[],
): Promise<Map<string, RecordInput['associations']>> {
  const { rows } = await db.query<{
    id: string;
    other_type: string;
    other_id: string;
    properties: Record<string, string | null> | null;
  }>(
    `SELECT k.id::text AS id, a.other_type, a.other_id::text AS other_id,
            CASE WHEN a.other_type = 'deals' THEN
              (SELECT d.properties FROM deals d WHERE d.portal_id = $1 AND d.id = a.other_id) END AS properties
       FROM unnest($3::bigint[]) AS k(id)
      CROSS JOIN LATERAL (SELECT to_type AS other_type, to_id AS other_id FROM associations
                           WHERE portal_id = $1 AND from_type = $2 AND from_id = k.id
                          UNION ALL
                          SELECT from_type, from_id FROM associations
                           WHERE portal_id = $1 AND to_type = $2 AND to_id = k.id) AS a`,
    [portalId, table, ids],
  );
  const result = new Map<string, NonNullable<RecordInput['associations']>>();
  for (const row of rows) {
    const objectType = CRM_OBJECT_OF[row.other_type as keyof typeof CRM_OBJECT_OF];
    if (!objectType) continue;
    const list = result.get(row.id) ?? [];
    list.push({ objectType, id: row.other_id, ...(row.properties ? { properties: row.properties } : {}) });
    result.set(row.id, list);
  }
  return result;
}

/** Rows a page of duplicate candidates holds: the driver's rows of one page at a time, never the portal's. */
const CANDIDATE_PAGE = 50_000;

/** One page of duplicate candidates: records of one type with the value of the property a rule compares. */
export type DuplicateCandidatePage = {
  objectType: CrmObject;
  property: string;
  rows: { id: number; value: string }[];
};

/**
 * Every record that can take part in a duplicate group, rule after rule, in pages in id order (keyset):
 * only the property each rule compares is read, and only one page is in memory at a time.
 */
export async function* duplicateCandidatePages(
  db: Queryable,
  portalId: number,
  rules: readonly { object: CrmObject; property: string }[],
  options: { pageSize?: number } = {},
): AsyncGenerator<DuplicateCandidatePage> {
  const pageSize = options.pageSize ?? CANDIDATE_PAGE;
  for (const rule of rules) {
    for (let afterId = 0; ;) {
      const { rows } = await db.query<{ id: number; value: string }>(
        `SELECT id, properties ->> $3 AS value FROM crm_records
          WHERE portal_id = $1 AND object_type = $2 AND NOT archived AND coalesce(properties ->> $3, '') <> ''
            AND id > $4
          ORDER BY id LIMIT $5`,
        [portalId, TABLE[rule.object], rule.property, afterId, pageSize],
      );
      if (rows.length > 0) yield { objectType: rule.object, property: rule.property, rows };
      if (rows.length < pageSize) break;
      afterId = rows.at(-1)!.id;
    }
  }
}

/** The records of a page as `findDuplicates` (or `DuplicateGrouping`) takes them, one at a time. */
export function* candidatesOf(page: DuplicateCandidatePage): Generator<DuplicateCandidate> {
  for (const row of page.rows) {
    const properties: Record<string, string> = {};
    properties[page.property] = row.value;
    yield { objectType: page.objectType, id: String(row.id), properties };
  }
}

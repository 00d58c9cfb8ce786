import type { Queryable } from '../pool.ts';

export type StageEventRow = {
  objectId: number;
  property: string;
  value: string;
  occurredAt: string;
  sourceType: string | null;
  sourceId: string | null;
  sourceLabel: string | null;
  updatedByUserId: number | null;
};

/** Forgets the stage events of these records (before writing their history again). */
export async function deleteStageEventsOf(
  db: Queryable,
  portalId: number,
  objectType: string,
  objectIds: readonly number[],
): Promise<void> {
  if (objectIds.length === 0) return;
  await db.query(
    `DELETE FROM stage_events WHERE portal_id = $1 AND object_type = $2 AND object_id = ANY($3::bigint[])`,
    [portalId, objectType, objectIds],
  );
}

/** Inserts stage events; an entry HubSpot repeats (same time and value) is kept once. */
export async function insertStageEvents(
  db: Queryable,
  portalId: number,
  objectType: string,
  events: readonly StageEventRow[],
): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO stage_events (portal_id, object_type, object_id, property, value, occurred_at,
                               source_type, source_id, source_label, updated_by_user_id)
     SELECT $1, $2, e."objectId", e.property, e.value, e."occurredAt",
            e."sourceType", e."sourceId", e."sourceLabel", e."updatedByUserId"
       FROM jsonb_to_recordset($3::jsonb) AS e("objectId" bigint, property text, value text, "occurredAt" timestamptz,
            "sourceType" text, "sourceId" text, "sourceLabel" text, "updatedByUserId" bigint)
     ON CONFLICT DO NOTHING`,
    [portalId, objectType, JSON.stringify(events)],
  );
}

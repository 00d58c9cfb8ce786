import type { Queryable } from '../pool.ts';

/** One HubSpot event as the events API returned it (see migration 0004 for why raw). */
export type HubSpotEventRow = {
  id: string;
  eventType: string;
  objectType: string;
  objectId: number;
  occurredAt: string;
  properties: Record<string, string>;
};

/**
 * Stores events by id (a re-read replaces them). An event of a contact merged away is stored on the
 * contact it was merged into, however HubSpot still names it, so a later pass can't undo the merge.
 */
export async function upsertHubSpotEvents(
  db: Queryable,
  portalId: number,
  events: readonly HubSpotEventRow[],
): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO hubspot_events (portal_id, id, event_type, object_type, object_id, occurred_at, properties)
     SELECT $1, e.id, e."eventType", e."objectType", COALESCE(c.merged_into_id, e."objectId"), e."occurredAt",
            e.properties
       FROM jsonb_to_recordset($2::jsonb) AS e(id text, "eventType" text, "objectType" text, "objectId" bigint,
            "occurredAt" timestamptz, properties jsonb)
       LEFT JOIN contacts c ON e."objectType" = 'contacts' AND c.portal_id = $1 AND c.id = e."objectId"
     ON CONFLICT (portal_id, id) DO UPDATE
       SET event_type = EXCLUDED.event_type, object_type = EXCLUDED.object_type, object_id = EXCLUDED.object_id,
           occurred_at = EXCLUDED.occurred_at, properties = EXCLUDED.properties, synced_at = now()`,
    [portalId, JSON.stringify(events)],
  );
}

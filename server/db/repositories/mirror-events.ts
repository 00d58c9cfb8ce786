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

export async function upsertHubSpotEvents(
  db: Queryable,
  portalId: number,
  events: readonly HubSpotEventRow[],
): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO hubspot_events (portal_id, id, event_type, object_type, object_id, occurred_at, properties)
     SELECT $1, e.id, e."eventType", e."objectType", e."objectId", e."occurredAt", e.properties
       FROM jsonb_to_recordset($2::jsonb) AS e(id text, "eventType" text, "objectType" text, "objectId" bigint,
            "occurredAt" timestamptz, properties jsonb)
     ON CONFLICT (portal_id, id) DO UPDATE
       SET event_type = EXCLUDED.event_type, object_type = EXCLUDED.object_type, object_id = EXCLUDED.object_id,
           occurred_at = EXCLUDED.occurred_at, properties = EXCLUDED.properties, synced_at = now()`,
    [portalId, JSON.stringify(events)],
  );
}

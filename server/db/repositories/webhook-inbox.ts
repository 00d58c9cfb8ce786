import type { Queryable } from '../pool.ts';

/**
 * A stored delivery as the drain moves it into the inbox: one portal's events as HubSpot sent them (a
 * JSON array, each element's text stored as an event's `payload`, a `json` column) and, for each
 * element in the same order, the keys read from it. Postgres splits the text itself, so events are
 * never serialised again.
 */
export type InboxBatch = { portalId: number; body: string; events: readonly InboxEventKeys[]; receivedAt: Date };

export type InboxEventKeys = {
  eventId: string;
  subscription: string;
  objectId: number | null;
  /** Epoch milliseconds. */
  occurredAt: number;
  ownWrite: boolean;
};

/**
 * Adds a delivery's events to the inbox in one statement, deduplicated by (portal, event id): a
 * redelivered event is not stored again. Returns how many were new. The portal row is FOR KEY SHARE
 * locked, as a foreign key would lock it (migration 0010), so a portal being deleted leaves no row
 * behind; events are inserted by event id, so overlapping drains wait for each other instead of
 * deadlocking.
 */
export async function insertInboxEvents(db: Queryable, batch: InboxBatch): Promise<number> {
  const { rows } = await db.query<{ inserted: number }>({
    // Named: parsed and planned once per connection.
    name: 'webhook-inbox-insert',
    text: `WITH portal AS (
       SELECT portal_id FROM portals WHERE portal_id = $1 FOR KEY SHARE
     ), keys AS (
       SELECT * FROM ROWS FROM (jsonb_to_recordset($3::jsonb) AS ("eventId" text, subscription text,
              "objectId" bigint, "occurredAt" bigint, "ownWrite" boolean))
              WITH ORDINALITY AS k("eventId", subscription, "objectId", "occurredAt", "ownWrite", element)
     ), inserted AS (
       INSERT INTO webhook_inbox (portal_id, event_id, subscription, object_id, occurred_at, payload, own_write, received_at)
       SELECT portal.portal_id, k."eventId", k.subscription, k."objectId", to_timestamp(k."occurredAt" / 1000.0),
              e.payload, k."ownWrite", $4
         FROM portal
        CROSS JOIN keys k
         JOIN json_array_elements($2::json) WITH ORDINALITY AS e(payload, element) USING (element)
        ORDER BY k."eventId"
       ON CONFLICT (portal_id, event_id) DO NOTHING
       RETURNING 1
     )
     SELECT count(*)::int AS inserted FROM inserted`,
    values: [
      batch.portalId,
      batch.body,
      // One JSON text rather than a Postgres array per key: node-pg escapes arrays element by element.
      JSON.stringify(batch.events),
      batch.receivedAt,
    ],
  });
  return rows[0]!.inserted;
}

export type PendingInboxRow = {
  eventId: string;
  subscription: string;
  objectId: number | null;
  occurredAt: Date;
  ownWrite: boolean;
  payload: Record<string, unknown>;
};

/**
 * The next pending events of a portal, oldest first, locked for the calling transaction. SKIP LOCKED:
 * two drains of one portal (a retry overlapping the next second's drain) split the work instead of
 * applying the same events twice or waiting on each other.
 */
export async function lockPendingInboxEvents(
  db: Queryable,
  portalId: number,
  limit: number,
): Promise<PendingInboxRow[]> {
  const { rows } = await db.query<PendingInboxRow>(
    `SELECT event_id AS "eventId", subscription, object_id AS "objectId", occurred_at AS "occurredAt",
            own_write AS "ownWrite", payload
       FROM webhook_inbox
      WHERE portal_id = $1 AND processed_at IS NULL
      ORDER BY occurred_at, event_id
      LIMIT $2
      FOR UPDATE SKIP LOCKED`,
    [portalId, limit],
  );
  return rows;
}

export async function markInboxEventsProcessed(
  db: Queryable,
  portalId: number,
  eventIds: readonly string[],
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE webhook_inbox SET processed_at = now()
      WHERE portal_id = $1 AND event_id = ANY($2::text[]) AND processed_at IS NULL`,
    [portalId, eventIds],
  );
  return rowCount ?? 0;
}

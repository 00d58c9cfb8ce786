import type { Queryable } from '../pool.ts';

/** One event as the inbox stores it; `payload` is the event exactly as HubSpot sent it. */
export type InboxEventRow = {
  portalId: number;
  eventId: string;
  subscription: string;
  objectId: number | null;
  /** Epoch milliseconds. */
  occurredAt: number;
  ownWrite: boolean;
  payload: unknown;
};

/** Per portal of a batch: events sent, accepted (the portal is one whose data we hold), newly stored. */
export type InboxInsertCount = { portalId: number; events: number; accepted: number; inserted: number };

/**
 * Stores a batch in one statement, deduplicated by (portal, event id), keeping only events of portals
 * whose data Closed Loop holds (a row in `portals` that is not uninstalled: `needs_reauth` portals keep
 * their data during the grace period, so their privacy deletions must still arrive). Returns one count
 * per portal of the batch so the caller can tell unknown portals from duplicates.
 */
export async function insertInboxEvents(db: Queryable, rows: readonly InboxEventRow[]): Promise<InboxInsertCount[]> {
  const { rows: counts } = await db.query<InboxInsertCount>(
    `WITH batch AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS e(
         "portalId" bigint, "eventId" text, subscription text, "objectId" bigint,
         "occurredAt" bigint, "ownWrite" boolean, payload jsonb)
     ), accepted AS (
       SELECT b.* FROM batch b JOIN portals p ON p.portal_id = b."portalId" WHERE p.status <> 'uninstalled'
     ), inserted AS (
       INSERT INTO webhook_inbox (portal_id, event_id, subscription, object_id, occurred_at, payload, own_write)
       SELECT "portalId", "eventId", subscription, "objectId", to_timestamp("occurredAt" / 1000.0), payload, "ownWrite"
         FROM accepted
       ON CONFLICT (portal_id, event_id) DO NOTHING
       RETURNING portal_id
     )
     SELECT b."portalId",
            count(*)::int AS events,
            (SELECT count(*) FROM accepted a WHERE a."portalId" = b."portalId")::int AS accepted,
            (SELECT count(*) FROM inserted i WHERE i.portal_id = b."portalId")::int AS inserted
       FROM batch b
      GROUP BY b."portalId"
      ORDER BY b."portalId"`,
    [JSON.stringify(rows)],
  );
  return counts;
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

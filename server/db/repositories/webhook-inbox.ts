import type { Queryable } from '../pool.ts';

/**
 * A delivery as the inbox stores it: the body exactly as HubSpot sent it (a JSON array, each element's
 * text stored as an event's `payload`, a `json` column) and, for each element in the same order, the
 * keys the intake read from it. Postgres splits the body itself, so events are never serialised again.
 */
export type InboxBatch = { body: string; events: readonly InboxEventKeys[] };

export type InboxEventKeys = {
  portalId: number;
  eventId: string;
  subscription: string;
  objectId: number | null;
  /** Epoch milliseconds. */
  occurredAt: number;
  ownWrite: boolean;
};

/**
 * Which of a batch's portals to store. `portals`: the caller records their drains in its own
 * transaction. `drains`: a portal's events are stored only if its drain intent is still pending and
 * not started; the intent is share-locked until the statement's transaction commits, so the drain's
 * start waits for these events (see server/webhooks/README.md). Other portals are left out.
 */
export type InboxTarget = {
  portals?: readonly number[];
  drains?: readonly { portalId: number; intentId: string }[];
};

/**
 * Per portal of a batch: events sent, events accepted (the portal is one whose data we hold), whether
 * they were taken (the portal is in `portals`, or its drain was joined) and how many were new.
 */
export type InboxInsertCount = { portalId: number; events: number; accepted: number; taken: boolean; inserted: number };

/**
 * Stores a batch in one statement, deduplicated by (portal, event id), keeping only events of portals
 * whose data Closed Loop holds (a row in `portals` that is not uninstalled: `needs_reauth` portals keep
 * their data during the grace period, so their privacy deletions must still arrive). Run alone it is
 * its own transaction: one round trip per delivery.
 *
 * The portal row is FOR KEY SHARE locked, as the foreign key this table no longer has would lock it
 * (migration 0011): a portal's deletion waits for deliveries in flight. Events are inserted in the
 * same order, by (portal, event id), so overlapping deliveries wait for each other instead of
 * deadlocking.
 */
export async function insertInboxEvents(
  db: Queryable,
  batch: InboxBatch,
  target: InboxTarget,
): Promise<InboxInsertCount[]> {
  const drains = target.drains ?? [];
  const { rows } = await db.query<InboxInsertCount>({
    // Named: parsed and planned once per connection.
    name: 'webhook-inbox-insert',
    text: `WITH keys AS (
       SELECT * FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS ("portalId" bigint, "eventId" text,
              subscription text, "objectId" bigint, "occurredAt" bigint, "ownWrite" boolean))
              WITH ORDINALITY AS k("portalId", "eventId", subscription, "objectId", "occurredAt", "ownWrite", element)
     ), portal AS (
       SELECT p.portal_id FROM portals p
        WHERE p.portal_id IN (SELECT "portalId" FROM keys) AND p.status <> 'uninstalled'
        ORDER BY p.portal_id
          FOR KEY SHARE
     ), joined AS (
       SELECT j.portal_id FROM job_intents j
        WHERE j.id = ANY($4::text[]) AND j.portal_id = ANY($3::bigint[]) AND j.status = 'pending' AND j.attempts = 0
        ORDER BY j.portal_id
          FOR SHARE
     ), taken AS (
       SELECT portal_id FROM portal
        WHERE portal_id = ANY($5::bigint[]) OR portal_id IN (SELECT portal_id FROM joined)
     ), inserted AS (
       INSERT INTO webhook_inbox (portal_id, event_id, subscription, object_id, occurred_at, payload, own_write)
       SELECT k."portalId", k."eventId", k.subscription, k."objectId", to_timestamp(k."occurredAt" / 1000.0),
              e.payload, k."ownWrite"
         FROM keys k
         JOIN json_array_elements($1::json) WITH ORDINALITY AS e(payload, element) USING (element)
        WHERE k."portalId" IN (SELECT portal_id FROM taken)
        ORDER BY k."portalId", k."eventId"
       ON CONFLICT (portal_id, event_id) DO NOTHING
       RETURNING portal_id
     )
     SELECT k."portalId",
            count(*)::int AS events,
            (CASE WHEN k."portalId" IN (SELECT portal_id FROM portal) THEN count(*) ELSE 0 END)::int AS accepted,
            k."portalId" IN (SELECT portal_id FROM taken) AS taken,
            (SELECT count(*) FROM inserted i WHERE i.portal_id = k."portalId")::int AS inserted
       FROM keys k
      GROUP BY k."portalId"
      ORDER BY k."portalId"`,
    values: [
      batch.body,
      // One JSON text rather than a Postgres array per key: node-pg escapes arrays element by element.
      JSON.stringify(batch.events),
      drains.map((d) => d.portalId),
      drains.map((d) => d.intentId),
      target.portals ?? [],
    ],
  });
  return rows;
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

import type { Queryable } from '../pool.ts';

/** One portal's part of a HubSpot delivery: its events as a JSON array (the body itself when it is all one portal's). */
export type DeliveryPart = { portalId: number; events: string; eventCount: number };

/**
 * Where a part may go. `drainIntentId`: only if that drain intent is still pending and not started;
 * it is share-locked until the statement's transaction commits, so the drain's start waits for this
 * delivery (see server/webhooks/README.md). `always`: the caller records the drain in its own
 * transaction.
 */
export type DeliveryTarget = { drainIntentId: string } | { always: true };

/**
 * `accepted`: the portal is one whose data Closed Loop holds (a `portals` row not uninstalled:
 * `needs_reauth` portals keep their data during the grace period, so their privacy deletions must
 * still arrive). `stored`: the part was stored (accepted, and its drain joined or `always`).
 */
export type DeliveryStored = { accepted: boolean; stored: boolean };

/**
 * Stores one portal's part of a delivery in one statement; run alone it is its own transaction, one
 * round trip. The portal row is FOR KEY SHARE locked as a foreign key would lock it, so a portal's
 * deletion waits for deliveries in flight and a later one finds no portal (migration 0019).
 */
export async function insertDelivery(
  db: Queryable,
  part: DeliveryPart,
  target: DeliveryTarget,
): Promise<DeliveryStored> {
  const { rows } = await db.query<DeliveryStored>({
    // Named: parsed and planned once per connection.
    name: 'webhook-delivery-insert',
    text: `WITH portal AS (
       SELECT portal_id FROM portals
        WHERE portal_id = $1 AND status <> 'uninstalled'
          FOR KEY SHARE
     ), joined AS (
       SELECT portal_id FROM job_intents
        WHERE id = $4 AND portal_id = $1 AND status = 'pending' AND attempts = 0
          FOR SHARE
     ), taken AS (
       SELECT portal_id FROM portal WHERE $5 OR EXISTS (SELECT 1 FROM joined)
     ), inserted AS (
       INSERT INTO webhook_deliveries (portal_id, events, event_count)
       SELECT portal_id, $2, $3 FROM taken
       RETURNING portal_id
     )
     SELECT EXISTS (SELECT 1 FROM portal) AS accepted, EXISTS (SELECT 1 FROM inserted) AS stored`,
    values: [
      part.portalId,
      part.events,
      part.eventCount,
      'drainIntentId' in target ? target.drainIntentId : null,
      'always' in target,
    ],
  });
  return rows[0]!;
}

export type PendingDelivery = { id: number; events: string; receivedAt: Date };

/**
 * The oldest stored deliveries of a portal, locked for the calling transaction. SKIP LOCKED: two drains
 * of one portal split them instead of waiting on each other (the inbox's key deduplicates anyway).
 */
export async function lockPendingDeliveries(
  db: Queryable,
  portalId: number,
  limit: number,
): Promise<PendingDelivery[]> {
  const { rows } = await db.query<PendingDelivery>(
    `SELECT id, events, received_at AS "receivedAt"
       FROM webhook_deliveries
      WHERE portal_id = $1
      ORDER BY id
      LIMIT $2
        FOR UPDATE SKIP LOCKED`,
    [portalId, limit],
  );
  return rows;
}

export async function deleteDeliveries(db: Queryable, portalId: number, ids: readonly number[]): Promise<void> {
  await db.query(`DELETE FROM webhook_deliveries WHERE portal_id = $1 AND id = ANY($2::bigint[])`, [portalId, ids]);
}

import type { Queryable } from '../pool.ts';

/**
 * Reads across every portal for the operations metrics (`/metrics`): cheap by construction, each one
 * answered from a small table or a partial index, since a scrape comes every few seconds.
 */

export type PortalRow = { portalId: number; status: string };

export async function listPortals(db: Queryable): Promise<PortalRow[]> {
  const { rows } = await db.query<PortalRow>(
    `/* cross-portal: metrics are labelled per portal */
     SELECT portal_id AS "portalId", status FROM portals ORDER BY portal_id`,
  );
  return rows;
}

/** Per portal with unprocessed webhook events: how many, and when the oldest arrived. */
export type PendingInbox = { portalId: number; events: number; oldestReceivedAt: Date };

export async function pendingInboxByPortal(db: Queryable): Promise<PendingInbox[]> {
  const { rows } = await db.query<PendingInbox>(
    `/* cross-portal: webhook lag of every portal, from the pending index */
     SELECT portal_id AS "portalId", count(*)::int AS events, min(received_at) AS "oldestReceivedAt"
       FROM webhook_inbox
      WHERE processed_at IS NULL
      GROUP BY portal_id`,
  );
  return rows;
}

/** Per queue with unfinished job intents (Postgres's record of jobs): how many, and the oldest one's creation. */
export type PendingIntents = { queue: string; intents: number; oldestCreatedAt: Date };

export async function pendingIntentsByQueue(db: Queryable): Promise<PendingIntents[]> {
  const { rows } = await db.query<PendingIntents>(
    `/* cross-portal: queues serve every portal; answered from the pending index */
     SELECT queue, count(*)::int AS intents, min(created_at) AS "oldestCreatedAt"
       FROM job_intents
      WHERE status = 'pending'
      GROUP BY queue`,
  );
  return rows;
}

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

/**
 * Per portal with webhook events not yet applied: how many, and when the oldest arrived. Counts both
 * deliveries the drain has not yet moved into the inbox (their events, redeliveries included) and
 * inbox events not yet processed.
 */
export type PendingInbox = { portalId: number; events: number; oldestReceivedAt: Date };

export async function pendingInboxByPortal(db: Queryable): Promise<PendingInbox[]> {
  const { rows } = await db.query<PendingInbox>(
    `/* cross-portal: webhook lag of every portal, from the pending index and the (short-lived) deliveries */
     SELECT portal_id AS "portalId", sum(events)::int AS events, min(oldest) AS "oldestReceivedAt"
       FROM (SELECT portal_id, count(*) AS events, min(received_at) AS oldest
               FROM webhook_inbox
              WHERE processed_at IS NULL
              GROUP BY portal_id
             UNION ALL
             SELECT portal_id, sum(event_count) AS events, min(received_at) AS oldest
               FROM webhook_deliveries
              GROUP BY portal_id) pending
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

import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { lockDrainIntent } from '../db/repositories/webhook-drain-intents.ts';
import { insertInboxEvents, type InboxEventRow } from '../db/repositories/webhook-inbox.ts';
import { webhooksDrain } from '../jobs/webhooks-drain.job.ts';
import type { Logger } from '../logging/logger.ts';
import { dispatchIntent, recordIntent } from '../queue/enqueue.ts';
import { jobIdFor } from '../queue/job-id.ts';
import type { JobIntent } from '../queue/job-intents.ts';
import type { QueueSet } from '../queue/queue-set.ts';
import type { WebhookEvent } from './event-batch.ts';
import { isOwnWrite } from './own-write.ts';

export type IntakeDeps = {
  db: pg.Pool;
  queues: QueueSet;
  log: Logger;
  /** HUBSPOT_APP_ID: recognises the app's own writes. */
  appId: string;
  now?: () => number;
};

export type IntakeOutcome = {
  /** Events newly stored. */
  stored: number;
  /** Events already in the inbox (a redelivery). */
  duplicates: number;
  /** Events of portals whose data Closed Loop does not hold (unknown or uninstalled): dropped. */
  ignored: number;
  ignoredPortals: number[];
  /** Queues the drains recorded by this batch; call after answering (Redis must not delay the answer). */
  dispatch(): Promise<void>;
};

export type WebhookIntake = { store(events: readonly WebhookEvent[], raw: readonly unknown[]): Promise<IntakeOutcome> };

/** How many drain intents one batch tries to join before it gives up coalescing and records its own. */
const MAX_JOIN_TRIES = 10;

/**
 * Stores a verified batch in the inbox and records a `webhooks.drain` intent per portal that got new
 * events, in one transaction (outbox style: the drain exists if and only if the events do); the drains
 * are queued in Redis after the commit.
 *
 * Drains coalesce per portal per second (run key `s<epoch second>`): a burst of deliveries makes one
 * drain, not one per request. A batch only joins a drain that has not started (checked under a row lock
 * the drain's start waits for), so no event can land after a drain read the inbox and be left waiting.
 */
export function createWebhookIntake(deps: IntakeDeps): WebhookIntake {
  const now = deps.now ?? Date.now;
  return {
    async store(events, raw) {
      const rows = toRows(events, raw, deps.appId);
      const second = `s${Math.floor(now() / 1000)}`;
      const { counts, created } = await withTransaction(deps.db, async (client) => {
        const counts = await insertInboxEvents(client, rows);
        const created: JobIntent[] = [];
        // Sorted: two batches locking the same portals' intents take them in the same order.
        for (const { portalId } of counts.filter((c) => c.inserted > 0)) {
          const intent = await drainIntentFor(client, portalId, second);
          if (intent) created.push(intent);
        }
        return { counts, created };
      });
      const ignoredCounts = counts.filter((c) => c.accepted < c.events);
      return {
        stored: sum(counts.map((c) => c.inserted)),
        duplicates: sum(counts.map((c) => c.accepted - c.inserted)),
        ignored: sum(ignoredCounts.map((c) => c.events - c.accepted)),
        ignoredPortals: ignoredCounts.map((c) => c.portalId),
        dispatch: async () => {
          await Promise.all(created.map((intent) => dispatchIntent(deps.queues, webhooksDrain, intent)));
        },
      };
    },
  };
}

/**
 * Joins the portal's not-yet-started drain of this second, or records a new one. Returns the intent
 * when this transaction created it (and so must queue it after the commit); undefined when it joined
 * one that its creator queues.
 */
async function drainIntentFor(client: pg.PoolClient, portalId: number, second: string): Promise<JobIntent | undefined> {
  for (let tries = 0; tries < MAX_JOIN_TRIES; tries++) {
    const runKey = tries === 0 ? second : `${second}-${tries}`;
    // Lock first: in a burst the intent exists, and joining it is then this one statement.
    let state = await lockDrainIntent(client, portalId, jobIdFor(webhooksDrain, { portalId }, runKey));
    if (state === undefined) {
      const { intent, created } = await recordIntent(client, webhooksDrain, { portalId }, { runKey });
      if (created) return intent;
      // Another delivery created it meanwhile (and committed: the insert waited for it).
      state = await lockDrainIntent(client, portalId, intent.id);
    }
    if (state?.status === 'pending' && state.attempts === 0) return undefined;
  }
  // Drains are starting faster than one a try: stop coalescing, this batch gets its own.
  return (await recordIntent(client, webhooksDrain, { portalId }, { runKey: `${second}-${randomUUID()}` })).intent;
}

function toRows(events: readonly WebhookEvent[], raw: readonly unknown[], appId: string): InboxEventRow[] {
  const rows = events.map((event, i) => ({
    portalId: event.portalId,
    eventId: event.eventId,
    subscription: event.subscriptionType,
    objectId: event.objectId ?? null,
    occurredAt: event.occurredAt,
    ownWrite: isOwnWrite(event, appId),
    payload: raw[i],
  }));
  // A fixed insertion order: concurrent deliveries of overlapping events wait for each other instead of deadlocking.
  return rows.sort((a, b) => a.portalId - b.portalId || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { lockDrainIntent } from '../db/repositories/webhook-drain-intents.ts';
import { insertInboxEvents, type InboxBatch, type InboxEventKeys } from '../db/repositories/webhook-inbox.ts';
import { webhooksDrain } from '../jobs/webhooks-drain.job.ts';
import type { Logger } from '../logging/logger.ts';
import { dispatchIntent, recordIntent } from '../queue/enqueue.ts';
import { jobIdFor } from '../queue/job-id.ts';
import type { JobIntent } from '../queue/job-intents.ts';
import type { QueueSet } from '../queue/queue-set.ts';
import { eventIdOf, type WebhookEvent } from './event-batch.ts';
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

export type WebhookIntake = {
  /** `body`: the request body as received (the JSON array `events` was parsed from, in the same order). */
  store(events: readonly WebhookEvent[], body: string): Promise<IntakeOutcome>;
};

/** How many drain intents one batch tries to join before it gives up coalescing and records its own. */
const MAX_JOIN_TRIES = 10;
/** Portals whose current drain this process remembers; past it the memory starts over (it is only a hint). */
const MAX_REMEMBERED_DRAINS = 10_000;

/**
 * Stores a verified batch in the inbox with a `webhooks.drain` intent for each portal that got new
 * events, atomically (outbox style: the drain exists if and only if the events do); the drains are
 * queued in Redis after the commit.
 *
 * Drains coalesce: a burst of deliveries makes one drain, not one per request. A batch only joins a
 * drain that has not started (checked under a row lock the drain's start waits for), so no event can
 * land after a drain read the inbox and be left waiting.
 *
 * Fast path, the usual case in a burst: one statement stores the events of every portal whose drain
 * remembered from this process's last delivery has not started, and locks that drain; it is its own
 * transaction, one round trip. Portals it could not take (first seen, or their drain started) go
 * through a transaction that joins this second's drain (run key `s<epoch second>`, then `-1`, `-2`… if
 * it started) or records it.
 */
export function createWebhookIntake(deps: IntakeDeps): WebhookIntake {
  const now = deps.now ?? Date.now;
  /** Per portal, the drain its last delivery joined or recorded; a drain since started only costs the slow path. */
  const currentDrain = new Map<number, string>();
  return { store };

  async function store(events: readonly WebhookEvent[], body: string): Promise<IntakeOutcome> {
    const batch: InboxBatch = { body, events: events.map((event) => keysOf(event, deps.appId)) };
    const second = `s${Math.floor(now() / 1000)}`;
    const portals = [...new Set(batch.events.map((e) => e.portalId))].sort((a, b) => a - b);
    // The drain this process last joined is the one to join (any not started drain sees these events);
    // a portal not seen yet tries this second's.
    const drains = portals.map((portalId) => ({
      portalId,
      intentId: currentDrain.get(portalId) ?? jobIdFor(webhooksDrain, { portalId }, second),
    }));
    const fast = await insertInboxEvents(deps.db, batch, { drains });
    const left = fast.filter((c) => c.accepted > 0 && !c.taken).map((c) => c.portalId);
    let counts = fast;
    const created: JobIntent[] = [];
    if (left.length > 0) {
      const slow = await withTransaction(deps.db, async (client) => {
        const stored = await insertInboxEvents(client, batch, { portals: left });
        // In portal order: two batches locking the same portals' intents take them in the same order.
        for (const { portalId } of stored.filter((c) => c.taken && c.inserted > 0)) {
          const drain = await drainIntentFor(client, portalId, second);
          if (drain.created) created.push(drain.created);
          rememberDrain(currentDrain, portalId, drain.intentId);
        }
        return stored;
      });
      counts = fast.map((c) => (c.taken ? c : (slow.find((s) => s.portalId === c.portalId) ?? c)));
    }
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
  }
}

function rememberDrain(memory: Map<number, string>, portalId: number, intentId: string): void {
  if (memory.size >= MAX_REMEMBERED_DRAINS && !memory.has(portalId)) memory.clear();
  memory.set(portalId, intentId);
}

/**
 * Joins the portal's not-yet-started drain of this second, or records a new one. `created`: the intent
 * when this transaction recorded it (and so must queue it after the commit); undefined when it joined
 * one that its creator queues.
 */
async function drainIntentFor(
  client: pg.PoolClient,
  portalId: number,
  second: string,
): Promise<{ intentId: string; created: JobIntent | undefined }> {
  for (let tries = 0; tries < MAX_JOIN_TRIES; tries++) {
    const runKey = tries === 0 ? second : `${second}-${tries}`;
    const id = jobIdFor(webhooksDrain, { portalId }, runKey);
    // Lock first: in a burst the intent exists, and joining it is then this one statement.
    let state = await lockDrainIntent(client, portalId, id);
    if (state === undefined) {
      const { intent, created } = await recordIntent(client, webhooksDrain, { portalId }, { runKey });
      if (created) return { intentId: intent.id, created: intent };
      // Another delivery created it meanwhile (and committed: the insert waited for it).
      state = await lockDrainIntent(client, portalId, intent.id);
    }
    if (state?.status === 'pending' && state.attempts === 0) return { intentId: id, created: undefined };
  }
  // Drains are starting faster than one a try: stop coalescing, this batch gets its own.
  const { intent } = await recordIntent(client, webhooksDrain, { portalId }, { runKey: `${second}-${randomUUID()}` });
  return { intentId: intent.id, created: intent };
}

function keysOf(event: WebhookEvent, appId: string): InboxEventKeys {
  return {
    portalId: event.portalId,
    eventId: eventIdOf(event),
    subscription: event.subscriptionType,
    objectId: event.objectId ?? null,
    occurredAt: event.occurredAt,
    ownWrite: isOwnWrite(event, appId),
  };
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

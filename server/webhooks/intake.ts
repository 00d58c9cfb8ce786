import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { lockDrainIntent } from '../db/repositories/webhook-drain-intents.ts';
import { insertDelivery, type DeliveryPart } from '../db/repositories/webhook-deliveries.ts';
import { webhooksDrain } from '../jobs/webhooks-drain.job.ts';
import type { Logger } from '../logging/logger.ts';
import { dispatchIntent, recordIntent } from '../queue/enqueue.ts';
import { jobIdFor } from '../queue/job-id.ts';
import type { JobIntent } from '../queue/job-intents.ts';
import type { QueueSet } from '../queue/queue-set.ts';
import type { WebhookEvent } from './event-batch.ts';

export type IntakeDeps = {
  db: pg.Pool;
  queues: QueueSet;
  log: Logger;
  now?: () => number;
};

export type IntakeOutcome = {
  /** Events stored for the drain (a redelivered event is among them: the drain's inbox deduplicates it). */
  accepted: number;
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
 * Stores a verified delivery, one row per portal it holds events of (`webhook_deliveries`, migration
 * 0019), with a `webhooks.drain` intent for each, atomically (outbox style: the drain exists if and
 * only if the delivery does); the drains are queued in Redis after the commit. The drain moves the
 * events into the inbox, deduplicating them by event id, off HubSpot's clock.
 *
 * Drains coalesce: a burst of deliveries makes one drain, not one per request. A delivery only joins a
 * drain that has not started (checked under a row lock the drain's start waits for), so no delivery
 * can land after a drain read them and be left waiting.
 *
 * Fast path, the usual case in a burst: one statement stores the delivery if the drain remembered from
 * this process's last delivery of the portal (for a portal not seen yet, this second's) has not
 * started, and locks that drain; it is its own
 * transaction, one round trip. Otherwise (first seen, or the drain started) a transaction stores it
 * and joins this second's drain (run key `s<epoch second>`, then `-1`, `-2`… if it started) or records it.
 */
export function createWebhookIntake(deps: IntakeDeps): WebhookIntake {
  const now = deps.now ?? Date.now;
  /** Per portal, the drain its last delivery joined or recorded; a drain since started only costs the slow path. */
  const currentDrain = new Map<number, string>();
  return { store };

  async function store(events: readonly WebhookEvent[], body: string): Promise<IntakeOutcome> {
    const second = `s${Math.floor(now() / 1000)}`;
    const created: JobIntent[] = [];
    let accepted = 0;
    let ignored = 0;
    const ignoredPortals: number[] = [];
    // In portal order: two deliveries locking the same portals' intents take them in the same order.
    for (const part of partsByPortal(events, body)) {
      // The drain this process last joined is the one to join; a portal not seen yet tries this second's.
      const drainIntentId =
        currentDrain.get(part.portalId) ?? jobIdFor(webhooksDrain, { portalId: part.portalId }, second);
      let result = await insertDelivery(deps.db, part, { drainIntentId });
      if (result.accepted && !result.stored) {
        result = await withTransaction(deps.db, async (client) => {
          const stored = await insertDelivery(client, part, { always: true });
          if (stored.stored) {
            const drain = await drainIntentFor(client, part.portalId, second);
            if (drain.created) created.push(drain.created);
            rememberDrain(currentDrain, part.portalId, drain.intentId);
          }
          return stored;
        });
      }
      if (result.accepted) {
        accepted += part.eventCount;
      } else {
        ignored += part.eventCount;
        ignoredPortals.push(part.portalId);
      }
    }
    return {
      accepted,
      ignored,
      ignoredPortals,
      dispatch: async () => {
        await Promise.all(created.map((intent) => dispatchIntent(deps.queues, webhooksDrain, intent)));
      },
    };
  }
}

/**
 * A delivery split by portal, in portal order. HubSpot's usual delivery is one portal's, stored as the
 * body itself (the text HubSpot sent); a mixed one is split so that no portal's row holds another's
 * events, each part the same events re-serialised in their order.
 */
function partsByPortal(events: readonly WebhookEvent[], body: string): DeliveryPart[] {
  const first = events[0]!.portalId;
  if (events.every((event) => event.portalId === first)) {
    return [{ portalId: first, events: body, eventCount: events.length }];
  }
  const whole = JSON.parse(body) as unknown[]; // the array `events` was parsed from, element for element
  const byPortal = new Map<number, unknown[]>();
  events.forEach((event, index) => {
    const list = byPortal.get(event.portalId) ?? [];
    list.push(whole[index]);
    byPortal.set(event.portalId, list);
  });
  return [...byPortal]
    .sort(([a], [b]) => a - b)
    .map(([portalId, list]) => ({ portalId, events: JSON.stringify(list), eventCount: list.length }));
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

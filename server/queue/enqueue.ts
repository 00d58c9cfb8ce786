import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool.ts';
import type { AnyJobDefinition, PayloadOf } from '../jobs/definition.ts';
import type { QueueDeps } from './deps.ts';
import { InvalidJobPayloadError } from './invalid-payload-error.ts';
import { jobIdFor } from './job-id.ts';
import { insertIntent, type JobIntent } from './job-intents.ts';
import { jobOptionsFor } from './job-options.ts';
import type { QueueSet } from './queue-set.ts';

export type EnqueueOptions = {
  /**
   * Makes the job's id deterministic: the same definition, payload and run key enqueue one job, however
   * often they are enqueued (retried requests, redelivered webhooks). Defaults to a random UUID.
   */
  readonly runKey?: string;
};

export type Enqueued = {
  readonly intent: JobIntent;
  /** false when an intent with this id already existed (nothing new was recorded). */
  readonly created: boolean;
};

/**
 * Validates the payload, records the job in Postgres and queues it in Redis under the intent's id.
 * An intent that already finished is not queued again; one still pending is queued again, which
 * BullMQ ignores if Redis still has it and restores if Redis lost it.
 *
 * If Redis fails after the intent is recorded the call throws, but nothing is lost: the pending
 * intent is queued again by the next `reconcile`.
 */
export async function enqueue<D extends AnyJobDefinition>(
  deps: QueueDeps,
  definition: D,
  payload: PayloadOf<D>,
  options: EnqueueOptions = {},
): Promise<Enqueued> {
  const recorded = await recordIntent(deps.db, definition, payload, options);
  if (recorded.intent.status === 'pending') await dispatchIntent(deps.queues, definition, recorded.intent);
  deps.log?.debug(
    { jobId: recorded.intent.id, job: definition.name, created: recorded.created, status: recorded.intent.status },
    'job enqueued',
  );
  return recorded;
}

/**
 * The Postgres half of `enqueue`. Call it inside a transaction to make a job part of that transaction
 * (outbox style), then `dispatchIntent` after the commit; if the process dies in between, `reconcile`
 * dispatches it.
 */
export async function recordIntent<D extends AnyJobDefinition>(
  db: Queryable,
  definition: D,
  payload: PayloadOf<D>,
  options: EnqueueOptions = {},
): Promise<Enqueued> {
  // The caller's type says the payload fits, but it often comes from a request: check for real.
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) throw new InvalidJobPayloadError(definition.name, parsed.error);
  const id = jobIdFor(definition, parsed.data, options.runKey ?? randomUUID());
  return insertIntent(db, {
    id,
    portalId: portalIdOf(parsed.data),
    queue: definition.queue,
    name: definition.name,
    payload: parsed.data,
  });
}

/** The Redis half of `enqueue`: adds the intent's job, deduplicated by its id. */
export async function dispatchIntent(queues: QueueSet, definition: AnyJobDefinition, intent: JobIntent): Promise<void> {
  await queues.get(definition.queue).add(definition.name, intent.payload, {
    ...jobOptionsFor(definition),
    jobId: intent.id,
  });
}

/** Jobs about one portal carry `portalId`; the intent keeps it so uninstalling a portal removes its jobs. */
function portalIdOf(payload: unknown): number | null {
  if (typeof payload !== 'object' || payload === null || !('portalId' in payload)) return null;
  return typeof payload.portalId === 'number' ? payload.portalId : null;
}

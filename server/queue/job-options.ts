import type { JobsOptions } from 'bullmq';
import type { AnyJobDefinition } from '../jobs/definition.ts';

/**
 * How long BullMQ keeps finished jobs. Postgres holds the real record, so Redis keeps them only as a
 * dedup window: a job id re-added while its finished job is still here is ignored, which closes the
 * race between a worker finishing a job and a reconcile re-queueing it.
 */
const KEEP_COMPLETED = { age: 24 * 3600, count: 10_000 };
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 10_000 };

/** BullMQ options for a job of `definition` (also the template of its scheduled jobs). */
export function jobOptionsFor(definition: AnyJobDefinition): JobsOptions {
  const { attempts, backoff } = definition.defaultOptions;
  return {
    attempts,
    backoff: { type: backoff.type, delay: backoff.delayMs },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  };
}

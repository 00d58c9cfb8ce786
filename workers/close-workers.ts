import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'bullmq';
import type { Logger } from '../server/logging/logger.ts';

// After the deadline, processors that honour their abort signal get this long to wind down.
const CANCEL_GRACE_MS = 1000;

/**
 * Stops the workers taking jobs and waits up to `timeoutMs` for the running ones to finish
 * (`drained`). Past the deadline it aborts them (their processors see `signal` aborted), gives them a
 * moment, and returns without waiting further (`closed` false if some still run): whatever is still
 * running when the process exits keeps its lock until the lock expires, then BullMQ's stalled-job
 * check puts it back in the queue for another worker.
 */
export async function closeWorkers(
  workers: readonly Worker[],
  timeoutMs: number,
  log: Logger,
): Promise<{ drained: boolean; closed: boolean }> {
  const closing = Promise.allSettled(workers.map((worker) => worker.close())).then(() => true);
  if (await settlesWithin(closing, timeoutMs)) return { drained: true, closed: true };
  log.warn({ timeoutMs }, 'jobs still running at the shutdown deadline; aborting them');
  for (const worker of workers) worker.cancelAllJobs('worker shutting down');
  return { drained: false, closed: await settlesWithin(closing, CANCEL_GRACE_MS) };
}

async function settlesWithin(promise: Promise<boolean>, ms: number): Promise<boolean> {
  const timer = new AbortController();
  const deadline = sleep(ms, false, { signal: timer.signal }).catch(() => false);
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    timer.abort();
  }
}

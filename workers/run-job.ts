import { DelayedError, RateLimitError, UnrecoverableError, WaitingChildrenError, WaitingError, type Job } from 'bullmq';
import type pg from 'pg';
import type { Logger } from '../server/logging/logger.ts';
import { InvalidJobPayloadError } from '../server/queue/invalid-payload-error.ts';
import { completeIntent, recordIntentFailure, startIntentAttempt } from '../server/queue/job-intents.ts';
import type { QueueSet } from '../server/queue/queue-set.ts';
import type { ProcessorEntry } from './processor.ts';

export type RunJobDeps = { readonly db: pg.Pool; readonly queues: QueueSet; readonly log: Logger };

/**
 * The wrapper every processor runs in. For a job with an intent (everything `enqueue` made): counts
 * the attempt, skips a duplicate delivery of an intent that already finished, and after the processor
 * marks the intent `completed`, or `failed` once no retry follows. Jobs made by a scheduler have no
 * intent (their schedule row is their durable record) and just run.
 *
 * A payload its schema refuses fails at once (UnrecoverableError): retrying can't fix it.
 */
export async function runJob(
  deps: RunJobDeps,
  entry: ProcessorEntry,
  job: Job<unknown, void>,
  signal?: AbortSignal,
): Promise<void> {
  const jobId = job.id ?? '';
  const attempt = job.attemptsMade + 1;
  // Every line about this job names it and, for a portal's job, the portal (before the payload is parsed,
  // so even a refused payload's line has it when it can).
  const log = deps.log.child({ ...portalOf(job.data), jobId, job: job.name, attempt });
  const tracked = job.repeatJobKey === undefined;

  if (tracked) {
    const status = await startIntentAttempt(deps.db, jobId);
    // Retried: the enqueuing transaction may not have committed yet. A deleted portal also lands here.
    if (status === undefined) throw new Error(`job ${jobId} has no intent in Postgres`);
    if (status !== 'pending') {
      log.info({ status }, 'intent already finished; duplicate delivery skipped');
      return;
    }
  }

  const bound = entry.bind(job.data);
  if (!bound.ok) {
    const invalid = new InvalidJobPayloadError(job.name, bound.error);
    log.error({ problem: invalid.message }, 'job payload refused');
    if (tracked) await recordIntentFailure(deps.db, jobId, invalid.message, true);
    throw new UnrecoverableError(invalid.message);
  }

  try {
    await bound.run({ db: deps.db, queues: deps.queues, log, jobId, attempt, signal });
  } catch (error) {
    if (isReschedule(error)) throw error;
    const final = isFinalAttempt(job, error);
    log.warn({ err: error, final }, final ? 'job failed' : 'job attempt failed; will retry');
    if (tracked) await recordIntentFailure(deps.db, jobId, describe(error), final);
    throw error;
  }
  if (tracked) await completeIntent(deps.db, jobId);
  log.debug('job completed');
}

/** Errors a processor throws to move its job (rate limit, delay), which BullMQ doesn't count as failures. */
function isReschedule(error: unknown): boolean {
  return [DelayedError, WaitingError, WaitingChildrenError, RateLimitError].some((type) => error instanceof type);
}

/** Mirrors BullMQ's own rule (Job.shouldRetryJob) for whether a failure is the last one. */
function isFinalAttempt(job: Job<unknown, void>, error: unknown): boolean {
  const unrecoverable =
    error instanceof UnrecoverableError || (error as Error | undefined)?.name === 'UnrecoverableError';
  return unrecoverable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

function portalOf(data: unknown): { portalId?: number } {
  const portalId = typeof data === 'object' && data !== null ? (data as { portalId?: unknown }).portalId : undefined;
  return typeof portalId === 'number' ? { portalId } : {};
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

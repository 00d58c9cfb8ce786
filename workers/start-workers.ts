import { DelayedError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Env } from '../server/config/env.ts';
import { createPool } from '../server/db/pool.ts';
import type { AnyJobDefinition } from '../server/jobs/definition.ts';
import { indexDefinitions, JOB_DEFINITIONS } from '../server/jobs/registry.ts';
import { createLogger, type Logger } from '../server/logging/logger.ts';
import { observeJobTimings, RedisJobTimings } from '../server/observability/job-timings.ts';
import { recordIntentFailure } from '../server/queue/job-intents.ts';
import { bullPrefix, createQueueSet, type QueueSet } from '../server/queue/queue-set.ts';
import { reconcile, type ReconcileReport } from '../server/queue/reconcile.ts';
import { createRedisConnection } from '../server/queue/redis-connection.ts';
import { closeWorkers } from './close-workers.ts';
import type { ProcessorEntry } from './processor.ts';
import { createReconciler } from './reconciler.ts';
import { onRedisRecovered } from './redis-recovery.ts';
import { runJob, type RunJobDeps } from './run-job.ts';

/** BullMQ knobs a caller may turn (tests shorten locks to see stalled jobs come back quickly). */
export type WorkerTuning = Pick<
  WorkerOptions,
  'lockDuration' | 'stalledInterval' | 'maxStalledCount' | 'runRetryDelay' | 'drainDelay'
>;

export type StartWorkersOptions = {
  readonly env: Env;
  readonly processors: readonly ProcessorEntry[];
  readonly log?: Logger;
  /** BullMQ's Redis key prefix; by default the one the server's queues use (from REDIS_PREFIX). */
  readonly prefix?: string;
  /** How long `stop` waits for running jobs; below a typical 30 s termination grace period. */
  readonly shutdownTimeoutMs?: number;
  readonly tuning?: WorkerTuning;
};

export type RunningWorkers = {
  readonly workers: readonly Worker<unknown, void>[];
  readonly queues: QueueSet;
  /** Settles once the startup reconcile is done (or `stop` was called first). */
  readonly ready: Promise<void>;
  /** Reconciles now, or joins the next run if one is in progress. */
  reconcile(): Promise<ReconcileReport>;
  /** Graceful shutdown; `drained` is false when jobs were still running at the deadline. */
  stop(): Promise<{ drained: boolean }>;
};

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;
// A job interrupted by a shutdown counts as stalled once; allow one such interruption more than
// BullMQ's default before it gives up on the job.
const MAX_STALLED_COUNT = 2;
// A job no processor here knows is left for a worker that knows it (mid rolling deploy), not failed.
const UNKNOWN_JOB_DELAY_MS = 30_000;

/**
 * Starts the worker side: one BullMQ Worker per queue that has processors, a reconcile now and
 * another each time Redis comes back after a disconnect. Stateless: run as many processes as needed
 * against the same Redis and Postgres.
 */
export function startWorkers(options: StartWorkersOptions): RunningWorkers {
  const { env } = options;
  const log = options.log ?? createLogger({ level: env.LOG_LEVEL, name: 'workers' });
  const connection = createRedisConnection(env.REDIS_URL);
  // ioredis reports every failed reconnect here; without a listener it prints them as unhandled.
  connection.on('error', (error: Error) => log.warn({ problem: error.message }, 'redis connection error'));
  const pool = createPool(env.DATABASE_URL);
  pool.on('error', (error) => log.warn({ problem: error.message }, 'idle postgres client error'));
  const queues = createQueueSet({ connection, prefix: options.prefix ?? bullPrefix(env.REDIS_PREFIX) });
  const definitions = withProcessorDefinitions(options.processors);

  const reconciler = createReconciler(() => reconcile({ db: pool, queues, log, definitions }), log);
  const stopWatching = onRedisRecovered(connection, () => {
    log.warn('redis is back; re-queueing pending jobs and schedules (it may have lost them)');
    reconciler.request().catch(() => undefined);
  });

  const deps: RunJobDeps = { db: pool, queues, log };
  // What `/metrics` reports as job latency, shared by every worker process through Redis.
  const timings = new RedisJobTimings(connection, queues.prefix, (error) =>
    log.warn({ err: error }, 'job timing not recorded'),
  );
  const workers = groupByQueue(options.processors).map(([queue, entries]) => {
    const worker = startQueueWorker(queue, entries, { deps, connection, options, log });
    observeJobTimings(worker, timings);
    return worker;
  });
  const missing = definitions.filter((d) => !options.processors.some((p) => p.definition.name === d.name));
  if (missing.length > 0) log.info({ jobs: missing.map((d) => d.name) }, 'no processor here for these jobs');

  const ready = reconciler.request().then(
    () => log.info({ queues: workers.map((w) => w.name), concurrency: env.WORKER_CONCURRENCY }, 'workers ready'),
    () => undefined,
  );

  let stopping: Promise<{ drained: boolean }> | undefined;
  async function stop(): Promise<{ drained: boolean }> {
    stopWatching();
    reconciler.stop();
    const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    log.info({ timeoutMs }, 'stopping: taking no new jobs, waiting for running ones');
    const { drained, closed } = await closeWorkers(workers, timeoutMs, log);
    await queues.close();
    // QUIT waits for Redis (forever, if it is down); jobs left running may still hold a pg client.
    if (closed && connection.status === 'ready') await connection.quit();
    else connection.disconnect();
    if (closed) await pool.end();
    else pool.end().catch(() => undefined);
    log.info({ drained }, 'workers stopped');
    return { drained };
  }

  return {
    workers,
    queues,
    ready,
    reconcile: () => reconciler.request(),
    stop: () => (stopping ??= stop()),
  };
}

function startQueueWorker(
  queue: string,
  entries: readonly ProcessorEntry[],
  context: {
    deps: RunJobDeps;
    connection: Redis;
    options: StartWorkersOptions;
    log: Logger;
  },
): Worker<unknown, void> {
  const byName = new Map(entries.map((entry) => [entry.definition.name, entry]));
  const { deps, log } = context;
  // Three parameters: BullMQ passes an abort signal only to processors that declare one.
  const processor = async (job: Job<unknown, void>, token?: string, signal?: AbortSignal): Promise<void> => {
    const entry = byName.get(job.name);
    if (entry) return runJob(deps, entry, job, signal);
    log.warn({ jobId: job.id, job: job.name, queue }, 'no processor for this job here; delaying it');
    await job.moveToDelayed(Date.now() + UNKNOWN_JOB_DELAY_MS, token);
    throw new DelayedError();
  };
  const worker = new Worker<unknown, void>(queue, processor, {
    connection: context.connection,
    prefix: context.deps.queues.prefix,
    concurrency: context.options.env.WORKER_CONCURRENCY,
    maxStalledCount: MAX_STALLED_COUNT,
    ...context.options.tuning,
  });
  // Without a listener an 'error' event would crash the process; they are connection trouble mostly.
  worker.on('error', (error) => log.warn({ queue, problem: error.message }, 'worker error'));
  // BullMQ fails a job that stalled too often without running it, so runJob never sees that failure.
  // `finishedOn` is set only when no retry follows; for failures runJob saw, this changes nothing.
  worker.on('failed', (job, error) => {
    if (!job?.id || job.finishedOn === undefined || job.repeatJobKey !== undefined) return;
    recordIntentFailure(deps.db, job.id, `${error.name}: ${error.message}`, true).catch((failure: unknown) =>
      log.error({ jobId: job.id, err: failure }, 'could not mark the intent failed'),
    );
  });
  return worker;
}

function groupByQueue(processors: readonly ProcessorEntry[]): [string, ProcessorEntry[]][] {
  const byQueue = new Map<string, ProcessorEntry[]>();
  for (const entry of processors) {
    byQueue.set(entry.definition.queue, [...(byQueue.get(entry.definition.queue) ?? []), entry]);
  }
  return [...byQueue];
}

/** The app's definitions plus any only a processor knows (tests); reconcile routes by these. */
function withProcessorDefinitions(processors: readonly ProcessorEntry[]): readonly AnyJobDefinition[] {
  // Two processors for one job would make routing ambiguous: refuse to start.
  indexDefinitions(processors.map((p) => p.definition));
  const extra = processors
    .map((p) => p.definition)
    .filter((d) => !JOB_DEFINITIONS.some((known) => known.name === d.name));
  return [...JOB_DEFINITIONS, ...extra];
}

import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * How long jobs wait and run, as Prometheus histograms kept in Redis: every worker process adds its
 * jobs to the same hashes, and the server's `/metrics` reads them at scrape time (the processes are
 * separate, so per-process histograms would each see only part of the work). Losing them with Redis
 * looks like a counter reset to Prometheus.
 */

/** Upper bounds in seconds: a drain takes milliseconds, a full sync of a large portal most of an hour. */
export const JOB_SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] as const;

export type JobOutcome = 'completed' | 'failed' | 'retried';

/** One label set of a histogram: counts per bucket (not cumulative, the last one above every bound). */
export type HistogramSeries = { labels: Record<string, string>; buckets: number[]; count: number; sum: number };

export type JobTimingsSnapshot = { run: HistogramSeries[]; wait: HistogramSeries[] };

const FIELD_SEPARATOR = '|';

export class RedisJobTimings {
  readonly #redis: Redis;
  readonly #runKey: string;
  readonly #waitKey: string;
  readonly #onError: (error: unknown) => void;

  /** `prefix`: the queues' BullMQ prefix, which the server and the workers share by construction. */
  constructor(redis: Redis, prefix: string, onError: (error: unknown) => void = () => undefined) {
    this.#redis = redis;
    this.#runKey = `${prefix}:metrics:job-run-seconds`;
    this.#waitKey = `${prefix}:metrics:job-wait-seconds`;
    this.#onError = onError;
  }

  /** One attempt of `job` ran for `runSeconds`; `waitSeconds` when it is known (see observeJobTimings). */
  record(job: string, outcome: JobOutcome, runSeconds: number, waitSeconds?: number): void {
    // Measuring must never slow or fail a job: fire and forget.
    const multi = this.#redis.multi();
    add(multi, this.#runKey, [job, outcome], runSeconds);
    if (waitSeconds !== undefined) add(multi, this.#waitKey, [job], waitSeconds);
    multi.exec().catch(this.#onError);
  }

  async read(): Promise<JobTimingsSnapshot> {
    const [run, wait] = await Promise.all([this.#redis.hgetall(this.#runKey), this.#redis.hgetall(this.#waitKey)]);
    return { run: series(run, ['job', 'outcome']), wait: series(wait, ['job']) };
  }

  async reset(): Promise<void> {
    await this.#redis.del(this.#runKey, this.#waitKey);
  }
}

function add(multi: ReturnType<Redis['multi']>, key: string, labels: string[], seconds: number): void {
  const value = Math.max(0, seconds);
  const bucket = JOB_SECONDS_BUCKETS.findIndex((bound) => value <= bound);
  const base = labels.join(FIELD_SEPARATOR);
  multi
    .hincrby(key, `${base}${FIELD_SEPARATOR}b${bucket === -1 ? JOB_SECONDS_BUCKETS.length : bucket}`, 1)
    .hincrby(key, `${base}${FIELD_SEPARATOR}count`, 1)
    .hincrbyfloat(key, `${base}${FIELD_SEPARATOR}sum`, value);
}

function series(hash: Record<string, string>, labelNames: readonly string[]): HistogramSeries[] {
  const byLabels = new Map<string, HistogramSeries>();
  for (const [field, raw] of Object.entries(hash)) {
    const parts = field.split(FIELD_SEPARATOR);
    if (parts.length !== labelNames.length + 1) continue;
    const values = parts.slice(0, -1);
    const base = values.join(FIELD_SEPARATOR);
    let entry = byLabels.get(base);
    if (!entry) {
      const labels = Object.fromEntries(labelNames.map((name, i) => [name, values[i]!]));
      entry = { labels, buckets: new Array<number>(JOB_SECONDS_BUCKETS.length + 1).fill(0), count: 0, sum: 0 };
      byLabels.set(base, entry);
    }
    const what = parts.at(-1)!;
    const value = Number(raw);
    if (what === 'count') entry.count = value;
    else if (what === 'sum') entry.sum = value;
    else if (/^b\d+$/.test(what) && Number(what.slice(1)) <= JOB_SECONDS_BUCKETS.length)
      entry.buckets[Number(what.slice(1))] = value;
  }
  return [...byLabels.values()].sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
}

/**
 * Records every attempt a BullMQ worker finishes: its run time (BullMQ's `processedOn` to now) with
 * the outcome, and, for a job's first attempt, its wait from when it was due (`timestamp` + `delay`, so
 * a scheduled or delayed job does not count its delay as waiting) to its start. A retry's wait is left
 * out: its due time is not kept.
 */
export function observeJobTimings(worker: Worker<unknown, void>, timings: RedisJobTimings): void {
  const observe = (job: Job<unknown, void> | undefined, outcome: JobOutcome) => {
    if (!job?.processedOn) return;
    const end = job.finishedOn ?? Date.now();
    const run = (end - job.processedOn) / 1000;
    const due = job.timestamp + (job.opts.delay ?? 0);
    const wait = job.attemptsStarted === 1 ? (job.processedOn - due) / 1000 : undefined;
    timings.record(job.name, outcome, run, wait);
  };
  worker.on('completed', (job) => observe(job, 'completed'));
  // `finishedOn` is set only when no retry follows.
  worker.on('failed', (job) => observe(job, job?.finishedOn === undefined ? 'retried' : 'failed'));
}

import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Queryable } from '../db/pool.ts';
import { listPortals, pendingInboxByPortal, pendingIntentsByQueue } from '../db/repositories/operational-state.ts';
import type { CallCounts } from '../hubspot/call-counters.ts';
import type { Logger } from '../logging/logger.ts';
import type { QueueSet } from '../queue/queue-set.ts';
import { JOB_SECONDS_BUCKETS, type JobTimingsSnapshot } from './job-timings.ts';
import { SharedHistogram } from './shared-histogram.ts';

export type MetricsDeps = {
  db: Queryable;
  /** The per-portal HubSpot call counters all processes share (RedisCallCounters). */
  counters: { read(portalId: number): Promise<CallCounts> };
  queues: QueueSet;
  /** The queues to report, usually every queue of the job definitions. */
  queueNames: readonly string[];
  timings: { read(): Promise<JobTimingsSnapshot> };
  log: Logger;
  now?: () => number;
};

export type Metrics = { contentType: string; render(): Promise<string> };

/** BullMQ's states of jobs not yet done, plus failed ones it keeps (7 days, see server/queue/job-options.ts). */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed'] as const;
const CALL_OUTCOMES = ['ok', 'rate_limited', 'error'] as const;

/**
 * The Prometheus metrics of the whole system for `GET /metrics`. The server and the workers are
 * separate processes (and there may be many of each), so every figure is read from shared state when
 * scraped: Postgres (portals, webhook inbox, job intents) and Redis (HubSpot call counters, BullMQ's
 * queues, job timings). A source that cannot be read leaves its metrics out and sets
 * `closed_loop_metrics_source_up{source}` to 0, so the rest still arrives. The server process's own
 * figures (CPU, memory, event-loop lag) come with the `closed_loop_server_` prefix.
 */
export function createMetrics(deps: MetricsDeps): Metrics {
  const now = deps.now ?? Date.now;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'closed_loop_server_' });
  const registers = [registry];

  const sourceUp = new Gauge({
    name: 'closed_loop_metrics_source_up',
    help: 'Whether this scrape could read the source (postgres, redis): 0 means its metrics are missing.',
    labelNames: ['source'],
    registers,
  });
  const portals = new Gauge({
    name: 'closed_loop_portals',
    help: 'Portals Closed Loop knows, by status.',
    labelNames: ['status'],
    registers,
  });
  const hubspotRequests = new Counter({
    name: 'closed_loop_hubspot_requests_total',
    help: 'HubSpot API requests (every attempt) per portal by outcome: ok, rate_limited (429), error.',
    labelNames: ['portal_id', 'outcome'],
    registers,
  });
  const queueJobs = new Gauge({
    name: 'closed_loop_queue_jobs',
    help: 'Jobs in BullMQ per queue and state (failed: kept for 7 days).',
    labelNames: ['queue', 'state'],
    registers,
  });
  const pendingIntents = new Gauge({
    name: 'closed_loop_job_intents_pending',
    help: 'Jobs recorded in Postgres and not finished yet, per queue.',
    labelNames: ['queue'],
    registers,
  });
  const oldestIntent = new Gauge({
    name: 'closed_loop_job_intent_oldest_pending_seconds',
    help: 'Age of the oldest unfinished job per queue (retries and backoff included).',
    labelNames: ['queue'],
    registers,
  });
  const webhookLag = new Gauge({
    name: 'closed_loop_webhook_lag_seconds',
    help: 'Age of the oldest webhook event received and not yet applied, per portal (0: none waiting).',
    labelNames: ['portal_id'],
    registers,
  });
  const webhookPending = new Gauge({
    name: 'closed_loop_webhook_pending_events',
    help: 'Webhook events received and not yet applied, per portal.',
    labelNames: ['portal_id'],
    registers,
  });
  const jobRun = new SharedHistogram({
    name: 'closed_loop_job_run_seconds',
    help: 'Run time of job attempts, by job and outcome (completed, retried, failed), all workers.',
    labelNames: ['job', 'outcome'],
    buckets: JOB_SECONDS_BUCKETS,
  });
  const jobWait = new SharedHistogram({
    name: 'closed_loop_job_wait_seconds',
    help: 'Time from when a job was due to the start of its first attempt, by job, all workers.',
    labelNames: ['job'],
    buckets: JOB_SECONDS_BUCKETS,
  });
  registry.registerMetric(jobRun);
  registry.registerMetric(jobWait);

  async function fromPostgres(): Promise<number[]> {
    const [portalRows, inbox, intents] = await Promise.all([
      listPortals(deps.db),
      pendingInboxByPortal(deps.db),
      pendingIntentsByQueue(deps.db),
    ]);
    const at = now();
    const statuses = new Map<string, number>();
    for (const { status } of portalRows) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    for (const [status, n] of statuses) portals.set({ status }, n);
    // Every portal gets a series, 0 when nothing waits: a missing series can't be told from a missing scrape.
    for (const { portalId } of portalRows) {
      webhookLag.set({ portal_id: String(portalId) }, 0);
      webhookPending.set({ portal_id: String(portalId) }, 0);
    }
    for (const row of inbox) {
      webhookLag.set({ portal_id: String(row.portalId) }, Math.max(0, (at - row.oldestReceivedAt.getTime()) / 1000));
      webhookPending.set({ portal_id: String(row.portalId) }, row.events);
    }
    for (const queue of deps.queueNames) {
      pendingIntents.set({ queue }, 0);
      oldestIntent.set({ queue }, 0);
    }
    for (const row of intents) {
      pendingIntents.set({ queue: row.queue }, row.intents);
      oldestIntent.set({ queue: row.queue }, Math.max(0, (at - row.oldestCreatedAt.getTime()) / 1000));
    }
    return portalRows.map((p) => p.portalId);
  }

  async function fromRedis(portalIds: number[]): Promise<void> {
    const [calls, counts, timings] = await Promise.all([
      Promise.all(portalIds.map(async (portalId) => ({ portalId, counts: await deps.counters.read(portalId) }))),
      Promise.all(
        deps.queueNames.map(async (queue) => ({
          queue,
          counts: await deps.queues.get(queue).getJobCounts(...QUEUE_STATES),
        })),
      ),
      deps.timings.read(),
    ]);
    for (const { portalId, counts: byOutcome } of calls) {
      for (const outcome of CALL_OUTCOMES)
        hubspotRequests.inc({ portal_id: String(portalId), outcome }, byOutcome[outcome]);
    }
    for (const { queue, counts: byState } of counts) {
      for (const state of QUEUE_STATES) queueJobs.set({ queue, state }, byState[state] ?? 0);
    }
    jobRun.set(timings.run);
    jobWait.set(timings.wait);
  }

  async function refresh(): Promise<void> {
    for (const metric of [
      portals,
      hubspotRequests,
      queueJobs,
      pendingIntents,
      oldestIntent,
      webhookLag,
      webhookPending,
    ])
      metric.reset();
    jobRun.set([]);
    jobWait.set([]);
    let portalIds: number[] = [];
    try {
      portalIds = await fromPostgres();
      sourceUp.set({ source: 'postgres' }, 1);
    } catch (error) {
      deps.log.warn({ err: error }, 'metrics: Postgres not readable');
      sourceUp.set({ source: 'postgres' }, 0);
    }
    try {
      await fromRedis(portalIds);
      sourceUp.set({ source: 'redis' }, 1);
    } catch (error) {
      deps.log.warn({ err: error }, 'metrics: Redis not readable');
      sourceUp.set({ source: 'redis' }, 0);
    }
  }

  // Concurrent scrapes share one refresh: the metric objects are reset and filled in place.
  let inFlight: Promise<string> | undefined;
  return {
    contentType: registry.contentType,
    render: () =>
      (inFlight ??= refresh()
        .then(() => registry.metrics())
        .finally(() => (inFlight = undefined))),
  };
}

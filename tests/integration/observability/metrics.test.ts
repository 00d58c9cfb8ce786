import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncIncremental } from '../../../server/jobs/sync-incremental.job.ts';
import { enqueue } from '../../../server/queue/enqueue.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { webhookHeaders } from '../../../server/sandbox/webhooks/index.ts';
import { runFullSync } from '../../../server/sync/full-sync.ts';
import { createProcessors } from '../../../workers/processors/registry.ts';
import { startWorkers, type RunningWorkers } from '../../../workers/start-workers.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { parsePrometheusText, value, type Sample } from './helpers/prometheus-text.ts';

const db = useTestDatabase();
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789';
let sandbox: Sandbox;
let app: AppUnderTest;
let portal: string;
let workers: RunningWorkers | undefined;

beforeAll(async () => {
  sandbox = await startSandbox({ fixture: 'tests/fixtures/demo-portal.json', faults: { seed: 5 } });
  app = await startApp({
    databaseUrl: db.url,
    hubspotUrl: sandbox.url,
    env: { METRICS_TOKEN, OPERATOR_API_TOKEN: OPERATOR_TOKEN },
  });
  expect((await browse(`${app.url}/oauth/install`)).at(-1)!.status).toBe(200);
  portal = String(sandbox.portalId);
});
afterAll(async () => {
  await workers?.stop();
  await app?.close();
  await sandbox?.close();
});

async function scrape(): Promise<Sample[]> {
  const response = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

/** Unfinished jobs, described so that a job that never finishes says why. */
const pendingIntents = async () =>
  (
    await db.pool.query<{ id: string; attempts: number; last_error: string | null }>(
      `SELECT id, attempts, last_error FROM job_intents WHERE status = 'pending' ORDER BY id`,
    )
  ).rows.map((r) => `${r.id} (${r.attempts} attempts${r.last_error ? `: ${r.last_error}` : ''})`);

describe('GET /metrics', () => {
  it('answers only the metrics token (not the operator token, not none)', async () => {
    for (const authorization of [undefined, `Bearer ${OPERATOR_TOKEN}`, `Bearer ${METRICS_TOKEN}x`]) {
      const response = await fetch(`${app.url}/metrics`, authorization ? { headers: { authorization } } : {});
      expect(response.status, authorization).toBe(401);
      expect(await response.json()).toEqual({ ok: false, error: { message: 'a valid metrics token is required' } });
    }
    const samples = await scrape();
    expect(value(samples, 'closed_loop_metrics_source_up', { source: 'postgres' })).toBe(1);
    expect(value(samples, 'closed_loop_metrics_source_up', { source: 'redis' })).toBe(1);
    expect(value(samples, 'closed_loop_portals', { status: 'installed' })).toBe(1);
    // The server process's own figures come along.
    expect(value(samples, 'closed_loop_server_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts HubSpot requests per portal: successes, 429s and errors as HubSpot (the sandbox) answered them', async () => {
    const before = await scrape();
    const api = /^\/(crm|events)\//;
    sandbox.plugins.faults.set([
      { kind: 'rateLimit', share: 0.2, path: api },
      { kind: 'status', status: 502, share: 0.1, path: api },
    ]);
    const injectedBefore = sandbox.plugins.faults.counters();
    const outcome = await runFullSync(
      { db: db.pool, client: app.context.clientFor(sandbox.portalId), counters: app.context.counters },
      sandbox.portalId,
    );
    const injected = sandbox.plugins.faults.counters();
    sandbox.plugins.faults.clear();
    expect(outcome.status).toBe('succeeded');
    const after = await scrape();

    const delta = (outcome: string) =>
      value(after, 'closed_loop_hubspot_requests_total', { portal_id: portal, outcome })! -
      (value(before, 'closed_loop_hubspot_requests_total', { portal_id: portal, outcome }) ?? 0);
    const rateLimited = injected.byKind.rateLimit - injectedBefore.byKind.rateLimit;
    const errors = injected.byKind.status - injectedBefore.byKind.status;
    expect(rateLimited).toBeGreaterThan(0);
    expect(errors).toBeGreaterThan(0);
    expect(delta('rate_limited')).toBe(rateLimited);
    expect(delta('error')).toBe(errors);
    const run = (
      await db.pool.query(`SELECT api_calls, rate_limited, errors FROM sync_runs WHERE id = $1`, [outcome.runId])
    ).rows[0];
    expect(delta('ok')).toBe(run.api_calls - run.rate_limited - run.errors);
    expect(delta('ok')).toBeGreaterThan(0);
  });

  it('reports webhook lag per portal: the age of the oldest event received and not yet applied', async () => {
    const url = `${app.url}/webhooks/hubspot`;
    const events = [1, 2, 3].map((i) => ({
      eventId: 7_700_000 + i,
      subscriptionId: 1,
      portalId: sandbox.portalId,
      appId: 1_000_001,
      occurredAt: Date.now(),
      subscriptionType: 'contact.propertyChange',
      attemptNumber: 0,
      objectId: 1040,
      propertyName: 'firstname',
      propertyValue: `Name ${i}`,
      changeSource: 'CRM_UI',
    }));
    const body = JSON.stringify(events);
    const delivered = await fetch(url, {
      method: 'POST',
      headers: webhookHeaders(app.env.HUBSPOT_CLIENT_SECRET, url, body, Date.now()),
      body,
    });
    expect(delivered.status).toBe(200);
    // No worker runs yet, so they wait. Make the oldest look 90 s old rather than waiting 90 s.
    await db.pool.query(
      `UPDATE webhook_deliveries SET received_at = now() - interval '90 seconds' WHERE portal_id = $1`,
      [sandbox.portalId],
    );
    const samples = await scrape();
    expect(value(samples, 'closed_loop_webhook_pending_events', { portal_id: portal })).toBe(3);
    const lag = value(samples, 'closed_loop_webhook_lag_seconds', { portal_id: portal })!;
    expect(lag).toBeGreaterThanOrEqual(90);
    expect(lag).toBeLessThan(120);
  });

  it('reports queue depth, then job latency and an empty inbox once workers ran the jobs', async () => {
    // Waiting now: the install's full sync, the webhook drain, this incremental sync and the first run of
    // the incremental schedule the install added (a scheduled job has no intent: its schedule row is its record).
    await enqueue(app.context.queueDeps, syncIncremental, { portalId: sandbox.portalId }, { runKey: 'metrics' });
    const queued = await scrape();
    const waiting = { 'sync-full': 1, 'sync-incremental': 2, webhooks: 1 };
    for (const [queue, jobs] of Object.entries(waiting)) {
      expect(value(queued, 'closed_loop_queue_jobs', { queue, state: 'waiting' }), queue).toBe(jobs);
      expect(value(queued, 'closed_loop_job_intents_pending', { queue }), queue).toBe(1);
    }
    const installedAt = (
      await db.pool.query(`SELECT created_at FROM job_intents WHERE id = $1`, [`sync.full/${portal}/install`])
    ).rows[0].created_at as Date;
    expect(value(queued, 'closed_loop_job_intent_oldest_pending_seconds', { queue: 'sync-full' })).toBeGreaterThan(0);

    const workersStartedAt = Date.now();
    workers = startWorkers({ env: app.env, processors: createProcessors(app.context) });
    await expect.poll(pendingIntents, { timeout: 30_000, interval: 100 }).toEqual([]);
    const allDoneAt = Date.now();

    const completed = (samples: Sample[], job: string) =>
      value(samples, 'closed_loop_job_run_seconds_count', { job, outcome: 'completed' }) ?? 0;
    // Timings are recorded just after a job completes: poll the scrape.
    let done: Sample[] = [];
    await expect
      .poll(
        async () => {
          done = await scrape();
          return ['sync.full', 'sync.incremental', 'webhooks.drain'].map((job) => completed(done, job));
        },
        { timeout: 20_000, interval: 100 },
      )
      .toEqual([1, 2, 1]);
    const fullRun = value(done, 'closed_loop_job_run_seconds_sum', { job: 'sync.full', outcome: 'completed' })!;
    expect(fullRun).toBeGreaterThan(0);
    expect(fullRun).toBeLessThanOrEqual((allDoneAt - workersStartedAt) / 1000);
    // The install's full sync waited from the install until a worker existed.
    expect(value(done, 'closed_loop_job_wait_seconds_count', { job: 'sync.full' })).toBe(1);
    const waited = value(done, 'closed_loop_job_wait_seconds_sum', { job: 'sync.full' })!;
    expect(waited).toBeGreaterThanOrEqual((workersStartedAt - installedAt.getTime()) / 1000 - 0.05);
    expect(waited).toBeLessThanOrEqual((allDoneAt - installedAt.getTime()) / 1000);
    // Cumulative buckets end at the count.
    expect(
      value(done, 'closed_loop_job_run_seconds_bucket', { job: 'sync.full', outcome: 'completed', le: '+Inf' }),
    ).toBe(1);

    for (const queue of ['sync-full', 'sync-incremental', 'webhooks']) {
      expect(value(done, 'closed_loop_queue_jobs', { queue, state: 'waiting' }), queue).toBe(0);
      expect(value(done, 'closed_loop_queue_jobs', { queue, state: 'active' }), queue).toBe(0);
      expect(value(done, 'closed_loop_job_intents_pending', { queue }), queue).toBe(0);
    }
    expect(value(done, 'closed_loop_webhook_pending_events', { portal_id: portal })).toBe(0);
    expect(value(done, 'closed_loop_webhook_lag_seconds', { portal_id: portal })).toBe(0);
  });
});

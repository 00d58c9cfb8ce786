import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../../../server/jobs/queues.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import {
  DAILY_EVALUATION_CRON,
  INCREMENTAL_SYNC_EVERY_MS,
  MONTHLY_SNAPSHOT_CRON,
  QUARTERLY_REVIEW_CRON,
  WEEKLY_DIGEST_CRON,
} from '../../../server/loops/cadence.ts';
import { schedulerIdFor } from '../../../server/queue/schedulers.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { startWorkers, type RunningWorkers } from '../../../workers/start-workers.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { startRedisServer, type RedisServer } from '../queue/helpers/redis-server.ts';
import { waitFor } from '../queue/helpers/wait-for.ts';

/**
 * A portal's loop schedules, from install to uninstall, across a worker restart and a Redis restart
 * (Redis of the test's own, without persistence: a restart empties it, as in production).
 */
const db = useTestDatabase();
let redis: RedisServer;
let sandbox: Sandbox;
let app: AppUnderTest;
let workers: RunningWorkers | undefined;
const log = createLogger({ level: 'silent', name: 'test' });

beforeAll(async () => {
  redis = await startRedisServer();
  sandbox = await startSandbox({ fixture: 'tests/fixtures/demo-portal.json' });
  app = await startApp({ databaseUrl: db.url, hubspotUrl: sandbox.url, env: { REDIS_URL: redis.url } });
  // The server sees the restart too, and reconnects by itself.
  app.context.redis.on('error', () => undefined);
  for (const name of QUEUE_NAMES) app.context.queues.get(name).on('error', () => undefined);
});
afterAll(async () => {
  await workers?.stop();
  await app?.close();
  await sandbox?.close();
  await redis?.stop();
});

const portalId = () => sandbox.portalId;
const WANTED = {
  'sync.incremental': { queue: 'sync-incremental', every: INCREMENTAL_SYNC_EVERY_MS },
  'hygiene.daily': { queue: 'hygiene', pattern: DAILY_EVALUATION_CRON },
  'loop.digest': { queue: 'hygiene', pattern: WEEKLY_DIGEST_CRON },
  'loop.snapshot': { queue: 'hygiene', pattern: MONTHLY_SNAPSHOT_CRON },
  'loop.review': { queue: 'maintenance', pattern: QUARTERLY_REVIEW_CRON },
} as const;

async function scheduleRows(): Promise<Record<string, unknown>> {
  const { rows } = await db.pool.query<{ key: string; name: string; queue: string; cron: string | null }>(
    `SELECT key, name, queue, cron FROM job_schedules WHERE portal_id = $1 ORDER BY key`,
    [portalId()],
  );
  return Object.fromEntries(rows.map((r) => [r.key, { name: r.name, queue: r.queue, cron: r.cron }]));
}

/** Every scheduler Redis holds, in every queue, as `id → pattern or every`. */
async function schedulers(): Promise<Record<string, string | number | undefined>> {
  const found: Record<string, string | number | undefined> = {};
  for (const name of QUEUE_NAMES) {
    for (const s of await app.context.queues.get(name).getJobSchedulers(0, -1)) {
      found[`${name}:${s.key}`] = s.pattern ?? s.every ?? undefined;
      if (s.pattern) expect(s.tz).toBe('UTC');
    }
  }
  return found;
}

const expectedSchedulers = () =>
  Object.fromEntries(
    Object.entries(WANTED).map(([key, w]) => [
      `${w.queue}:${schedulerIdFor(portalId(), key)}`,
      'pattern' in w ? w.pattern : w.every,
    ]),
  );

const sameSchedulers = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

function startWorkerProcess(): RunningWorkers {
  // No processors: only the schedules matter here, and reconcile runs whatever this process consumes.
  return startWorkers({ env: app.env, processors: [], log, tuning: { runRetryDelay: 200 } });
}

describe('loop schedules', () => {
  it('exist after install: a row and a UTC job scheduler for each of the portal’s recurring runs', async () => {
    expect((await browse(`${app.url}/oauth/install`)).at(-1)!.status).toBe(200);
    expect(await scheduleRows()).toEqual({
      'hygiene.daily': { name: 'hygiene.evaluate', queue: 'hygiene', cron: DAILY_EVALUATION_CRON },
      'loop.digest': { name: 'loop.digest', queue: 'hygiene', cron: '0 7 * * 1' },
      'loop.review': { name: 'loop.review', queue: 'maintenance', cron: '0 8 1 1,4,7,10 *' },
      'loop.snapshot': { name: 'loop.snapshot', queue: 'hygiene', cron: '0 4 1 * *' },
      'sync.incremental': { name: 'sync.incremental', queue: 'sync-incremental', cron: null },
    });
    expect(await schedulers()).toEqual(expectedSchedulers());
    const digest = await app.context.queues.get('hygiene').getJobScheduler(schedulerIdFor(portalId(), 'loop.digest'));
    expect(digest?.template?.data).toEqual({ portalId: portalId() });
    // The next digest is a Monday at 07:00 UTC.
    const next = new Date(digest!.next!);
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([1, 7, 0]);
  });

  it('survive a worker restart: the new process reconciles to the same schedulers, none doubled', async () => {
    workers = startWorkerProcess();
    await workers.ready;
    expect(await schedulers()).toEqual(expectedSchedulers());
    await workers.stop();
    workers = startWorkerProcess();
    await workers.ready;
    expect(await workers.reconcile()).toMatchObject({ schedulers: Object.keys(WANTED).length, removedSchedulers: 0 });
    expect(await schedulers()).toEqual(expectedSchedulers());
  });

  it('survive a Redis restart: the workers re-create them from Postgres once Redis is back', async () => {
    await redis.restart(); // SIGKILL: Redis comes back empty
    await waitFor('the schedulers to be re-created', async () => {
      try {
        return sameSchedulers(await schedulers(), expectedSchedulers());
      } catch {
        return false; // Redis is still coming back
      }
    });
    expect(await schedulers()).toEqual(expectedSchedulers());
  });

  it('are gone after uninstall, rows and schedulers, and a reconcile does not bring them back', async () => {
    await app.context.uninstall(portalId(), 'test uninstall');
    expect(await scheduleRows()).toEqual({});
    expect(await schedulers()).toEqual({});
    await workers!.reconcile();
    expect(await schedulers()).toEqual({});
  });
});

import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syncFull } from '../../../server/jobs/sync-full.job.ts';
import { syncIncremental } from '../../../server/jobs/sync-incremental.job.ts';
import { webhooksDrain } from '../../../server/jobs/webhooks-drain.job.ts';
import { enqueue } from '../../../server/queue/enqueue.ts';
import { upsertScheduleRow } from '../../../server/queue/job-schedules.ts';
import { addPortalSchedule, removePortalSchedules } from '../../../server/queue/portal-schedules.ts';
import { createQueueSet, type QueueSet } from '../../../server/queue/queue-set.ts';
import { reconcile } from '../../../server/queue/reconcile.ts';
import { createRedisConnection } from '../../../server/queue/redis-connection.ts';
import { schedulerIdFor } from '../../../server/queue/schedulers.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { startRedisServer, type RedisServer } from './helpers/redis-server.ts';

const db = useTestDatabase();
const PORTAL = 7;
const OTHER_PORTAL = 8;
const FIFTEEN_MINUTES = 15 * 60_000;

let redis: RedisServer;
let connection: Redis;
let queues: QueueSet;

// Redis of its own, so the test can flush it the way a restart without persistence would.
beforeAll(async () => {
  redis = await startRedisServer();
  connection = createRedisConnection(redis.url);
  queues = createQueueSet({ connection });
  await db.pool.query(`INSERT INTO portals (portal_id) VALUES ($1), ($2)`, [PORTAL, OTHER_PORTAL]);
});

afterAll(async () => {
  await queues?.close();
  await connection?.quit();
  await redis?.stop();
});

beforeEach(async () => {
  await db.pool.query(`DELETE FROM job_schedules`);
  await db.pool.query(`DELETE FROM job_intents`);
  await connection.flushall();
});

const deps = () => ({ db: db.pool, queues });
const incrementalQueue = () => queues.get(syncIncremental.queue);

async function insertIncrementalSchedule(portalId: number): Promise<void> {
  await upsertScheduleRow(db.pool, {
    portalId,
    key: 'sync.incremental',
    queue: syncIncremental.queue,
    name: syncIncremental.name,
    cadence: { everyMs: FIFTEEN_MINUTES },
    payload: { portalId },
  });
}

describe('reconcile: schedules', () => {
  it('turns a job_schedules row into a BullMQ job scheduler, again after Redis lost it, and removes it with its row', async () => {
    await insertIncrementalSchedule(PORTAL);
    const id = schedulerIdFor(PORTAL, 'sync.incremental');

    expect(await reconcile(deps())).toMatchObject({ schedulers: 1, removedSchedulers: 0 });
    const scheduler = await incrementalQueue().getJobScheduler(id);
    expect(scheduler).toMatchObject({ key: id, name: 'sync.incremental', every: FIFTEEN_MINUTES });
    expect(scheduler?.template?.data).toEqual({ portalId: PORTAL });
    expect(scheduler?.template?.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 30_000 } });

    await connection.flushall(); // what a Redis restart without persistence does
    expect(await incrementalQueue().getJobScheduler(id)).toBeUndefined();
    await reconcile(deps());
    expect(await incrementalQueue().getJobScheduler(id)).toMatchObject({ key: id, every: FIFTEEN_MINUTES });

    // Reconciling again changes nothing: one scheduler, one pending run.
    await reconcile(deps());
    expect(await incrementalQueue().getJobSchedulersCount()).toBe(1);

    await db.pool.query(`DELETE FROM job_schedules WHERE portal_id = $1`, [PORTAL]);
    expect(await reconcile(deps())).toMatchObject({ schedulers: 0, removedSchedulers: 1 });
    expect(await incrementalQueue().getJobScheduler(id)).toBeUndefined();
    expect(await incrementalQueue().getJobSchedulersCount()).toBe(0);
  });

  it('schedules cron rows in UTC and skips rows it cannot run without blocking the others', async () => {
    await insertIncrementalSchedule(PORTAL);
    await upsertScheduleRow(db.pool, {
      portalId: PORTAL,
      key: 'nightly-full',
      queue: syncFull.queue,
      name: syncFull.name,
      cadence: { cron: '0 3 * * *' },
      payload: { portalId: PORTAL },
    });
    const invalid = { portalId: OTHER_PORTAL, queue: syncIncremental.queue, cadence: { everyMs: 60_000 } };
    await upsertScheduleRow(db.pool, { ...invalid, key: 'gone', name: 'sync.removed', payload: {} });
    await upsertScheduleRow(db.pool, {
      ...invalid,
      key: 'bad',
      name: syncIncremental.name,
      payload: { portalId: 'x' },
    });

    expect(await reconcile(deps())).toMatchObject({ schedulers: 2, invalidSchedules: 2 });
    expect(await queues.get(syncFull.queue).getJobScheduler(schedulerIdFor(PORTAL, 'nightly-full'))).toMatchObject({
      pattern: '0 3 * * *',
      tz: 'UTC',
    });
    expect(await incrementalQueue().getJobSchedulersCount()).toBe(1);
  });

  it('removes a scheduler Redis has but Postgres does not', async () => {
    await incrementalQueue().upsertJobScheduler('portal/99/stray', { every: 60_000 }, { name: 'sync.incremental' });
    expect(await reconcile(deps())).toMatchObject({ removedSchedulers: 1 });
    expect(await incrementalQueue().getJobSchedulersCount()).toBe(0);
  });
});

describe('install and uninstall helpers', () => {
  it('addPortalSchedule writes the row and the scheduler; removePortalSchedules removes both', async () => {
    await addPortalSchedule(deps(), {
      portalId: PORTAL,
      key: 'sync.incremental',
      definition: syncIncremental,
      payload: { portalId: PORTAL },
      cadence: { everyMs: FIFTEEN_MINUTES },
    });
    await addPortalSchedule(deps(), {
      portalId: OTHER_PORTAL,
      key: 'sync.incremental',
      definition: syncIncremental,
      payload: { portalId: OTHER_PORTAL },
      cadence: { everyMs: FIFTEEN_MINUTES },
    });
    const rows = await db.pool.query(`SELECT portal_id, key, queue, name, every_ms, cron, payload FROM job_schedules`);
    expect(rows.rows).toContainEqual({
      portal_id: PORTAL,
      key: 'sync.incremental',
      queue: 'sync-incremental',
      name: 'sync.incremental',
      every_ms: FIFTEEN_MINUTES,
      cron: null,
      payload: { portalId: PORTAL },
    });
    expect(await incrementalQueue().getJobScheduler(schedulerIdFor(PORTAL, 'sync.incremental'))).toBeDefined();

    expect(await removePortalSchedules(deps(), PORTAL)).toBe(1);
    expect(await incrementalQueue().getJobScheduler(schedulerIdFor(PORTAL, 'sync.incremental'))).toBeUndefined();
    expect(await incrementalQueue().getJobScheduler(schedulerIdFor(OTHER_PORTAL, 'sync.incremental'))).toBeDefined();
    const left = await db.pool.query(`SELECT portal_id FROM job_schedules`);
    expect(left.rows).toEqual([{ portal_id: OTHER_PORTAL }]);
  });

  it('refuses a schedule key BullMQ could misread and a payload its job refuses', async () => {
    const schedule = {
      portalId: PORTAL,
      definition: syncIncremental,
      payload: { portalId: PORTAL },
      cadence: { everyMs: FIFTEEN_MINUTES },
    };
    await expect(addPortalSchedule(deps(), { ...schedule, key: 'a:b' })).rejects.toThrow(/letters, digits/);
    // @ts-expect-error the payload type is checked at compile time too
    await expect(addPortalSchedule(deps(), { ...schedule, key: 'k', payload: {} })).rejects.toThrow(/portalId/);
    expect((await db.pool.query(`SELECT 1 FROM job_schedules`)).rowCount).toBe(0);
  });
});

describe('reconcile: pending intents', () => {
  it('re-queues every pending intent under its own id, and only pending ones', async () => {
    const pending = await Promise.all(
      [1, 2, 3].map((n) => enqueue(deps(), webhooksDrain, { portalId: PORTAL }, { runKey: `batch-${n}` })),
    );
    const done = await enqueue(deps(), syncFull, { portalId: PORTAL }, { runKey: 'install' });
    await db.pool.query(`UPDATE job_intents SET status = 'completed' WHERE id = $1`, [done.intent.id]);

    await connection.flushall();
    expect(await queues.get('webhooks').getJobCountByTypes('waiting')).toBe(0);

    expect(await reconcile(deps())).toMatchObject({ requeued: 3, unknownJobs: 0 });
    const waiting = await queues.get('webhooks').getJobs(['waiting']);
    expect(waiting.map((job) => job.id).sort()).toEqual(pending.map((p) => p.intent.id).sort());
    expect(waiting.map((job) => [job.name, job.data])).toEqual(
      Array.from({ length: 3 }, () => ['webhooks.drain', { portalId: PORTAL }]),
    );
    expect(waiting[0]?.opts).toMatchObject({ attempts: 8, backoff: { type: 'exponential', delay: 5_000 } });
    expect(await queues.get('sync-full').getJobCountByTypes('waiting')).toBe(0);

    // Jobs Redis still has are not added twice.
    await reconcile(deps());
    expect(await queues.get('webhooks').getJobCountByTypes('waiting')).toBe(3);
  });

  it('leaves pending an intent whose job no definition names', async () => {
    await db.pool.query(
      `INSERT INTO job_intents (id, portal_id, queue, name, payload) VALUES ('retired.job/1', $1, 'webhooks', 'retired.job', '{}')`,
      [PORTAL],
    );
    expect(await reconcile(deps())).toMatchObject({ requeued: 0, unknownJobs: 1 });
    const { rows } = await db.pool.query(`SELECT status FROM job_intents WHERE id = 'retired.job/1'`);
    expect(rows).toEqual([{ status: 'pending' }]);
  });

  it('pages through a backlog larger than one page', async () => {
    await db.pool.query(
      `INSERT INTO job_intents (id, portal_id, queue, name, payload, created_at)
       SELECT 'webhooks.drain/7/' || n, $1, 'webhooks', 'webhooks.drain', '{"portalId": 7}', now() + n * interval '1 microsecond'
         FROM generate_series(1, 1201) AS n`,
      [PORTAL],
    );
    expect(await reconcile(deps())).toMatchObject({ requeued: 1201 });
    expect(await queues.get('webhooks').getJobCountByTypes('waiting')).toBe(1201);
  });
});

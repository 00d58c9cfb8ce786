import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../server/config/env.ts';
import { syncFull } from '../../../server/jobs/sync-full.job.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { enqueue } from '../../../server/queue/enqueue.ts';
import { InvalidJobPayloadError } from '../../../server/queue/invalid-payload-error.ts';
import { addPortalSchedule, removePortalSchedules } from '../../../server/queue/portal-schedules.ts';
import { createQueueSet, type QueueSet } from '../../../server/queue/queue-set.ts';
import { createRedisConnection } from '../../../server/queue/redis-connection.ts';
import { schedulerIdFor } from '../../../server/queue/schedulers.ts';
import { defineProcessor } from '../../../workers/processor.ts';
import { startWorkers, type RunningWorkers } from '../../../workers/start-workers.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import {
  brokenJob,
  deletePrefix,
  effectJob,
  effectRuns,
  flakyJob,
  intentRow,
  jobSettled,
  PORTAL_ID,
  prepareDatabase,
  recordEffect,
} from './helpers/test-jobs.ts';

const db = useTestDatabase();
const prefix = `test-${randomUUID()}`;
const runs: string[] = [];

const processors = [
  defineProcessor(effectJob, async (payload, context) => {
    runs.push(context.jobId);
    await recordEffect(context.db, payload.key);
  }),
  defineProcessor(flakyJob, async (payload, context) => {
    if (context.attempt === 1) throw new Error('HubSpot answered 502');
    await recordEffect(context.db, payload.key);
  }),
  defineProcessor(brokenJob, async () => {
    throw new Error('always broken');
  }),
];

let connection: Redis;
let queues: QueueSet;
let running: RunningWorkers;

beforeAll(async () => {
  await prepareDatabase(db.pool);
  connection = createRedisConnection('redis://127.0.0.1:6379');
  queues = createQueueSet({ connection, prefix });
  // One job at a time, so a job enqueued last also runs last (used to show nothing else ran).
  const env = parseEnv({ DATABASE_URL: db.url, NODE_ENV: 'test', LOG_LEVEL: 'silent', WORKER_CONCURRENCY: '1' });
  running = startWorkers({ env, processors, prefix, log: createLogger({ level: 'silent', name: 'test' }) });
  await running.ready;
});

afterAll(async () => {
  await running?.stop();
  await queues?.close();
  if (connection) await deletePrefix(connection, prefix);
  await connection?.quit();
});

const deps = () => ({ db: db.pool, queues });

/** Enqueues a test.effect job and waits for a worker to finish it. */
async function runEffect(key: string, runKey?: string): Promise<string> {
  const runKeyOrRandom = runKey ?? randomUUID();
  const settled = jobSettled(running.workers, `test.effect/${key}/${runKeyOrRandom}`);
  const { intent } = await enqueue(deps(), effectJob, { portalId: PORTAL_ID, key }, { runKey: runKeyOrRandom });
  expect(await settled).toBe('completed');
  return intent.id;
}

describe('enqueue → worker → Postgres', () => {
  it('runs a job end to end: its effect lands and its intent is completed', async () => {
    const id = await runEffect('end-to-end');

    expect(await effectRuns(db.pool, 'end-to-end')).toBe(1);
    const intent = await intentRow(db.pool, id);
    expect(intent).toMatchObject({ status: 'completed', attempts: 1, last_error: null });
    expect(intent.finished_at).toBeInstanceOf(Date);
  });

  it('runs a job once however often the same deterministic id is enqueued', async () => {
    const payload = { portalId: PORTAL_ID, key: 'idempotent' };
    const id = 'test.effect/idempotent/install-1';
    const settled = jobSettled(running.workers, id);
    const [first, second] = await Promise.all([
      enqueue(deps(), effectJob, payload, { runKey: 'install-1' }),
      enqueue(deps(), effectJob, payload, { runKey: 'install-1' }),
    ]);
    expect([first.intent.id, second.intent.id]).toEqual([id, id]);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(await settled).toBe('completed');

    // Enqueued again after it finished: recorded as done, not queued again.
    const again = await enqueue(deps(), effectJob, payload, { runKey: 'install-1' });
    expect(again).toMatchObject({ created: false, intent: { status: 'completed' } });

    // Jobs run one at a time in order: once a later job is done, any duplicate would have run.
    await runEffect('sentinel');
    expect(runs.filter((run) => run === id)).toHaveLength(1);
    expect(await effectRuns(db.pool, 'idempotent')).toBe(1);
  });

  it('refuses an invalid payload at enqueue, naming the field, and records nothing', async () => {
    const before = await db.pool.query(`SELECT count(*)::int AS n FROM job_intents`);

    // @ts-expect-error the type already refuses it; the runtime check is for payloads from requests
    const wrongType = enqueue(deps(), syncFull, { portalId: 'abc' });
    await expect(wrongType).rejects.toBeInstanceOf(InvalidJobPayloadError);
    await expect(wrongType).rejects.toThrow(/invalid payload for job "sync\.full": portalId: .*expected number/);

    // @ts-expect-error an unknown field is a typo, not something to ignore
    const extraField = enqueue(deps(), syncFull, { portalId: 1, portalID: 1 });
    await expect(extraField).rejects.toThrow(/Unrecognized key: "portalID"/);

    const error = await enqueue(deps(), effectJob, { portalId: PORTAL_ID, key: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidJobPayloadError);
    expect((error as InvalidJobPayloadError).issues.map((issue) => issue.path)).toEqual([['key']]);

    const after = await db.pool.query(`SELECT count(*)::int AS n FROM job_intents`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('retries a failed attempt and counts both attempts on the intent', async () => {
    const settled = jobSettled(running.workers, 'test.flaky/flaky/r1');
    const { intent } = await enqueue(deps(), flakyJob, { portalId: PORTAL_ID, key: 'flaky' }, { runKey: 'r1' });
    expect(await settled).toBe('completed');

    expect(await intentRow(db.pool, intent.id)).toMatchObject({ status: 'completed', attempts: 2, last_error: null });
    expect(await effectRuns(db.pool, 'flaky')).toBe(1);
  });

  it('marks the intent failed, with the error, after the last attempt', async () => {
    const settled = jobSettled(running.workers, 'test.broken/broken/r1');
    const { intent } = await enqueue(deps(), brokenJob, { portalId: PORTAL_ID, key: 'broken' }, { runKey: 'r1' });
    expect(await settled).toBe('failed');

    const row = await intentRow(db.pool, intent.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 2, last_error: 'Error: always broken' });
    expect(row.finished_at).toBeInstanceOf(Date);
  });

  it('fails at once, without retrying, a job whose stored payload its schema refuses', async () => {
    // What a stale or hand-written job in Redis looks like: an intent the schema no longer accepts.
    const id = 'test.effect/tampered/r1';
    await db.pool.query(
      `INSERT INTO job_intents (id, portal_id, queue, name, payload) VALUES ($1, $2, 'webhooks', 'test.effect', $3)`,
      [id, PORTAL_ID, JSON.stringify({ portalId: PORTAL_ID, key: 42 })],
    );
    const settled = jobSettled(running.workers, id);
    await running.reconcile();
    expect(await settled).toBe('failed');

    const row = await intentRow(db.pool, id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.last_error).toMatch(/invalid payload for job "test\.effect": key: .*expected string/);
  });

  it('skips a redelivered job whose intent already completed', async () => {
    const id = await runEffect('redelivered');
    // What a reconcile racing a finishing job can do: the same id queued again after it completed.
    await queues.get('webhooks').remove(id);
    const settled = jobSettled(running.workers, id);
    await queues.get('webhooks').add('test.effect', { portalId: PORTAL_ID, key: 'redelivered' }, { jobId: id });
    expect(await settled).toBe('completed');

    expect(runs.filter((run) => run === id)).toHaveLength(1);
    expect(await intentRow(db.pool, id)).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('runs a scheduled job, which has no intent: its schedule row is its record', async () => {
    const schedulerId = schedulerIdFor(PORTAL_ID, 'scheduled-effect');
    const ran = new Promise<Job<unknown, void>>((resolve) => {
      const onCompleted = (job: Job<unknown, void>) => {
        if (job.repeatJobKey !== schedulerId) return;
        for (const worker of running.workers) worker.off('completed', onCompleted);
        resolve(job);
      };
      for (const worker of running.workers) worker.on('completed', onCompleted);
    });
    // An `everyMs` schedule runs once right away.
    await addPortalSchedule(deps(), {
      portalId: PORTAL_ID,
      key: 'scheduled-effect',
      definition: effectJob,
      payload: { portalId: PORTAL_ID, key: 'scheduled' },
      cadence: { everyMs: 3_600_000 },
    });
    const job = await ran;
    await removePortalSchedules(deps(), PORTAL_ID, ['scheduled-effect']);

    expect(job.id).toMatch(/^repeat:portal\/101\/scheduled-effect:\d+$/);
    expect(await effectRuns(db.pool, 'scheduled')).toBe(1);
    const intents = await db.pool.query(`SELECT 1 FROM job_intents WHERE id = $1`, [job.id]);
    expect(intents.rowCount).toBe(0);
  });
});

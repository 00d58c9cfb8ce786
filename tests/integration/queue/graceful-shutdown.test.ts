import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../server/config/env.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { enqueue } from '../../../server/queue/enqueue.ts';
import { createQueueSet, type QueueSet } from '../../../server/queue/queue-set.ts';
import { createRedisConnection } from '../../../server/queue/redis-connection.ts';
import { defineProcessor } from '../../../workers/processor.ts';
import { startWorkers, type RunningWorkers, type StartWorkersOptions } from '../../../workers/start-workers.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { startRedisServer } from './helpers/redis-server.ts';
import {
  deletePrefix,
  effectJob,
  effectRuns,
  intentRow,
  jobSettled,
  PORTAL_ID,
  prepareDatabase,
  recordEffect,
} from './helpers/test-jobs.ts';
import { waitFor } from './helpers/wait-for.ts';

const db = useTestDatabase();
const prefix = `test-${randomUUID()}`;
const silent = createLogger({ level: 'silent', name: 'test' });
// Short locks so an abandoned job's lock expires, and is noticed, within a test. Every worker here
// uses them: workers of one queue share the stalled-check interval through Redis.
const tuning = { lockDuration: 1000, stalledInterval: 250 };

/** Jobs whose run the test holds until it opens their gate; `started` resolves when a run begins. */
const gates = new Map<string, { started: PromiseWithResolvers<void>; open: PromiseWithResolvers<void> }>();
function gate(key: string) {
  let entry = gates.get(key);
  if (!entry) {
    entry = { started: Promise.withResolvers(), open: Promise.withResolvers() };
    gates.set(key, entry);
  }
  return entry;
}
const runsByKey = new Map<string, number>();
// Only the first run of a key waits at its gate; a second run (a redelivery) goes straight through.
const gatedEffect = defineProcessor(effectJob, async (payload, context) => {
  const run = (runsByKey.get(payload.key) ?? 0) + 1;
  runsByKey.set(payload.key, run);
  if (run === 1) {
    gate(payload.key).started.resolve();
    await gate(payload.key).open.promise;
  }
  await recordEffect(context.db, payload.key);
});

let connection: Redis;
let queues: QueueSet;
const started: RunningWorkers[] = [];

function start(overrides: Partial<StartWorkersOptions> = {}): RunningWorkers {
  const env = parseEnv({ DATABASE_URL: db.url, NODE_ENV: 'test', WORKER_CONCURRENCY: '2' });
  const running = startWorkers({ env, processors: [gatedEffect], prefix, log: silent, tuning, ...overrides });
  started.push(running);
  return running;
}

beforeAll(async () => {
  await prepareDatabase(db.pool);
  connection = createRedisConnection('redis://127.0.0.1:6379');
  queues = createQueueSet({ connection, prefix });
});

afterEach(async () => {
  for (const gateOf of gates.values()) gateOf.open.resolve();
  await Promise.all(started.splice(0).map((running) => running.stop()));
});

afterAll(async () => {
  await queues?.close();
  if (connection) await deletePrefix(connection, prefix);
  await connection?.quit();
});

const enqueueEffect = (key: string) =>
  enqueue({ db: db.pool, queues }, effectJob, { portalId: PORTAL_ID, key }, { runKey: 'r' });

describe('graceful shutdown (startWorkers().stop)', () => {
  it('lets running jobs finish and takes no new ones', async () => {
    const running = start();
    await running.ready;
    const { intent: first } = await enqueueEffect('running-at-stop');
    await gate('running-at-stop').started.promise;

    const stopping = running.stop();
    const { intent: second } = await enqueueEffect('enqueued-during-stop');
    gate('running-at-stop').open.resolve();

    expect(await stopping).toEqual({ drained: true });
    expect(await intentRow(db.pool, first.id)).toMatchObject({ status: 'completed' });
    expect(await effectRuns(db.pool, 'running-at-stop')).toBe(1);
    // The job that arrived during shutdown waits in Redis for the next worker.
    expect(await intentRow(db.pool, second.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await queues.get('webhooks').getJobState(second.id)).toBe('waiting');

    const next = start();
    const settled = jobSettled(next.workers, second.id);
    gate('enqueued-during-stop').open.resolve();
    expect(await settled).toBe('completed');
    expect(await intentRow(db.pool, second.id)).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('stops at the deadline despite a job that will not finish; another worker runs that job again', async () => {
    const running = start({ shutdownTimeoutMs: 300 });
    await running.ready;
    const { intent } = await enqueueEffect('stuck');
    await gate('stuck').started.promise;

    const before = Date.now();
    expect(await running.stop()).toEqual({ drained: false });
    expect(Date.now() - before).toBeLessThan(3000);
    expect(await intentRow(db.pool, intent.id)).toMatchObject({ status: 'pending', attempts: 1 });

    const next = start();
    const settled = jobSettled(next.workers, intent.id);
    expect(await settled).toBe('completed');
    expect(await intentRow(db.pool, intent.id)).toMatchObject({ status: 'completed', attempts: 2 });
    expect(await effectRuns(db.pool, 'stuck')).toBe(1);
  });
  it('fails a job abandoned more often than maxStalledCount allows, and its intent with it', async () => {
    const running = start({ shutdownTimeoutMs: 300 });
    await running.ready;
    const { intent } = await enqueueEffect('stalls-too-often');
    await gate('stalls-too-often').started.promise;
    expect(await running.stop()).toEqual({ drained: false });

    // No stall allowed: the next worker fails the job instead of running it again.
    const next = start({ tuning: { ...tuning, maxStalledCount: 0 } });
    expect(await jobSettled(next.workers, intent.id)).toBe('failed');
    await waitFor(
      'the intent to be marked failed',
      async () => (await intentRow(db.pool, intent.id)).status === 'failed',
    );
    expect((await intentRow(db.pool, intent.id)).last_error).toMatch(/stalled more than allowable limit/);
    expect(runsByKey.get('stalls-too-often')).toBe(1);
  });
});

describe('workers/main.ts', () => {
  it('starts, reconciles, and exits 0 on SIGTERM', async () => {
    const redis = await startRedisServer();
    try {
      const child = spawn(process.execPath, [fileURLToPath(new URL('../../../workers/main.ts', import.meta.url))], {
        env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: redis.url, NODE_ENV: 'test', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = once(child, 'exit');

      await waitFor('the worker process to be ready', async () => output.includes('"msg":"workers ready"'));
      child.kill('SIGTERM');
      const [code, signal] = await exited;

      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(output).toContain('"msg":"queues reconciled with Postgres"');
      expect(output).toContain('"signal":"SIGTERM"');
      expect(output).toContain('"msg":"workers stopped"');
    } finally {
      await redis.stop();
    }
  });
});

import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../server/config/env.ts';
import { enqueue } from '../../../server/queue/enqueue.ts';
import { bullPrefix, createQueueSet, type QueueSet } from '../../../server/queue/queue-set.ts';
import { createRedisConnection } from '../../../server/queue/redis-connection.ts';
import { defineProcessor } from '../../../workers/processor.ts';
import { startWorkers, type RunningWorkers } from '../../../workers/start-workers.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { startRedisServer, type RedisServer } from './helpers/redis-server.ts';
import { capturingLogger, effectJob, PORTAL_ID, prepareDatabase, recordEffect } from './helpers/test-jobs.ts';
import { waitFor } from './helpers/wait-for.ts';

const db = useTestDatabase();
const JOBS = 200;
// The first jobs run freely; later ones wait at this gate until Redis has restarted, so the restart
// lands with some jobs done, some running and the rest queued.
const FREE_RUNS = 40;
const gate = Promise.withResolvers<void>();
let started = 0;

let redis: RedisServer;
let connection: Redis;
let queues: QueueSet;
let running: RunningWorkers;
const { log, lines } = capturingLogger();

beforeAll(async () => {
  await prepareDatabase(db.pool);
  redis = await startRedisServer();
  connection = createRedisConnection(redis.url);
  connection.on('error', () => undefined); // the producer sees the restart too; it reconnects by itself
  const env = parseEnv({ DATABASE_URL: db.url, REDIS_URL: redis.url, NODE_ENV: 'test', WORKER_CONCURRENCY: '4' });
  queues = createQueueSet({ connection, prefix: bullPrefix(env.REDIS_PREFIX) });
  const processor = defineProcessor(effectJob, async (payload, context) => {
    if (++started > FREE_RUNS) await gate.promise;
    await recordEffect(context.db, payload.key);
  });
  // BullMQ waits runRetryDelay (15 s by default) before fetching again after a connection error.
  running = startWorkers({ env, processors: [processor], log, tuning: { runRetryDelay: 200 } });
  await running.ready;
});

afterAll(async () => {
  await running?.stop();
  await queues?.close();
  connection?.disconnect();
  await redis?.stop();
});

async function count(sql: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(sql);
  return rows[0]?.n ?? 0;
}

describe('a Redis restart in the middle of a run', () => {
  it('loses no job: every effect lands exactly once and every intent completes', async () => {
    await Promise.all(
      Array.from({ length: JOBS }, (_, n) =>
        enqueue({ db: db.pool, queues }, effectJob, { portalId: PORTAL_ID, key: `effect-${n}` }, { runKey: 'r' }),
      ),
    );
    const completed = `SELECT count(*)::int AS n FROM job_intents WHERE status = 'completed'`;
    await waitFor('the free jobs to finish', async () => (await count(completed)) === FREE_RUNS);
    await waitFor('jobs to be running at the gate', async () => started > FREE_RUNS);

    await redis.restart(); // SIGKILL: Redis comes back empty, queues and all
    expect(await count(completed)).toBe(FREE_RUNS);
    gate.resolve();

    await waitFor('every intent to complete', async () => (await count(completed)) === JOBS, { timeoutMs: 45_000 });

    const effects = await db.pool.query<{ key: string }>(`SELECT key FROM test_effects`);
    expect(effects.rows.map((row) => row.key).sort()).toEqual(
      Array.from({ length: JOBS }, (_, n) => `effect-${n}`).sort(),
    );
    expect(await count(`SELECT count(*)::int AS n FROM job_intents WHERE status <> 'completed'`)).toBe(0);
    // The jobs after the restart came from the reconcile that followed Redis coming back.
    expect(lines.some((line) => line.msg?.startsWith('redis is back'))).toBe(true);
    const reconciles = lines.filter((line) => line.msg === 'queues reconciled with Postgres');
    expect(reconciles.length).toBeGreaterThanOrEqual(2);
    expect(reconciles.at(-1)?.requeued).toBeGreaterThan(0);
  });
});

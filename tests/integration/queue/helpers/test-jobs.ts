import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import pino from 'pino';
import type pg from 'pg';
import { z } from 'zod';
import type { JobDefinition } from '../../../../server/jobs/definition.ts';
import { PortalId } from '../../../../server/jobs/portal-payload.ts';
import type { Logger } from '../../../../server/logging/logger.ts';
import type { IntentStatus } from '../../../../server/queue/job-intents.ts';

/** Test-only jobs: an effect keyed by its payload, so the tests can count how often each one landed. */
export const EffectPayload = z.strictObject({ portalId: PortalId, key: z.string().min(1) });

const testJob = <Name extends string>(name: Name, attempts: number) =>
  ({
    name,
    queue: 'webhooks',
    payload: EffectPayload,
    defaultOptions: { attempts, backoff: { type: 'fixed', delayMs: 10 } },
    jobId: (payload, runKey) => `${name}/${payload.key}/${runKey}`,
  }) as const satisfies JobDefinition<Name, typeof EffectPayload>;

export const effectJob = testJob('test.effect', 3);
export const flakyJob = testJob('test.flaky', 3);
export const brokenJob = testJob('test.broken', 2);

export const PORTAL_ID = 101;

/** The effects table and the portal the test jobs belong to (intents reference portals). */
export async function prepareDatabase(db: pg.Pool): Promise<void> {
  await db.query(`CREATE TABLE test_effects (key text PRIMARY KEY, runs int NOT NULL DEFAULT 1)`);
  await db.query(`INSERT INTO portals (portal_id) VALUES ($1)`, [PORTAL_ID]);
}

/** Idempotent: a second run of the same payload bumps `runs` instead of adding a row. */
export async function recordEffect(db: pg.Pool, key: string): Promise<void> {
  await db.query(
    `INSERT INTO test_effects (key) VALUES ($1) ON CONFLICT (key) DO UPDATE SET runs = test_effects.runs + 1`,
    [key],
  );
}

export async function effectRuns(db: pg.Pool, key: string): Promise<number | undefined> {
  const { rows } = await db.query<{ runs: number }>(`SELECT runs FROM test_effects WHERE key = $1`, [key]);
  return rows[0]?.runs;
}

export async function intentRow(
  db: pg.Pool,
  id: string,
): Promise<{ status: IntentStatus; attempts: number; last_error: string | null; finished_at: Date | null }> {
  const { rows } = await db.query(`SELECT status, attempts, last_error, finished_at FROM job_intents WHERE id = $1`, [
    id,
  ]);
  if (!rows[0]) throw new Error(`no intent ${id}`);
  return rows[0];
}

/** Settles when one of `workers` finishes the job `id` (completed or, for good, failed). */
export function jobSettled(workers: readonly Worker<unknown, void>[], id: string): Promise<'completed' | 'failed'> {
  return new Promise((resolve) => {
    const onCompleted = (job: Job<unknown, void>) => job.id === id && done('completed');
    // Only a failure with no retry after it finishes the job.
    const onFailed = (job: Job<unknown, void> | undefined) =>
      job?.id === id && job.finishedOn !== undefined && done('failed');
    const done = (outcome: 'completed' | 'failed') => {
      for (const worker of workers) worker.off('completed', onCompleted).off('failed', onFailed);
      resolve(outcome);
    };
    for (const worker of workers) worker.on('completed', onCompleted).on('failed', onFailed);
  });
}

/** A logger whose lines the test can read. */
export function capturingLogger(): { log: Logger; lines: { msg?: string; [key: string]: unknown }[] } {
  const lines: { msg?: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

/** Deletes every key under a BullMQ prefix, so tests sharing the machine's Redis leave nothing behind. */
export async function deletePrefix(connection: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await connection.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await connection.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../server/config/env.ts';
import { createAppContext, type AppContext } from '../../../server/context.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { enqueue } from '../../../server/queue/enqueue.ts';
import { defineProcessor } from '../../../workers/processor.ts';
import { startWorkers, type RunningWorkers } from '../../../workers/start-workers.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { TEST_REDIS_URL } from '../../helpers/redis.ts';
import { brokenJob, flakyJob, jobSettled, PORTAL_ID, prepareDatabase } from '../queue/helpers/test-jobs.ts';

const db = useTestDatabase();
const lines: Record<string, unknown>[] = [];
let server: AppContext;
let workers: RunningWorkers;

beforeAll(async () => {
  await prepareDatabase(db.pool);
  const env = parseEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `t${randomUUID().slice(0, 8)}`,
  });
  server = createAppContext(env);
  // The workers' logger as production builds it, writing where the test can read it.
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  workers = startWorkers({
    env,
    log: createLogger({ level: 'debug', name: 'workers', destination }),
    processors: [
      defineProcessor(flakyJob, async (payload, context) => {
        context.log.info({ key: payload.key }, 'processor working');
        if (context.attempt === 1) throw new Error('HubSpot answered 502');
      }),
      defineProcessor(brokenJob, async (_payload, context) => {
        context.log.warn('processor about to fail');
        throw new Error('always broken');
      }),
    ],
  });
  await workers.ready;
});
afterAll(async () => {
  await workers?.stop();
  await server?.close();
});

describe('job logs', () => {
  it('name the portal and the job on every line about a job: the processor’s, retries and failures', async () => {
    const flaky = await enqueue(server.queueDeps, flakyJob, { portalId: PORTAL_ID, key: 'logs-flaky' });
    const broken = await enqueue(server.queueDeps, brokenJob, { portalId: PORTAL_ID, key: 'logs-broken' });
    expect(
      await Promise.all([jobSettled(workers.workers, flaky.intent.id), jobSettled(workers.workers, broken.intent.id)]),
    ).toEqual(['completed', 'failed']);

    const about = (id: string) => lines.filter((line) => line.jobId === id);
    expect(about(flaky.intent.id).map((l) => l.msg)).toEqual([
      'processor working',
      'job attempt failed; will retry',
      'processor working',
      'job completed',
    ]);
    expect(about(broken.intent.id).map((l) => l.msg)).toEqual([
      'processor about to fail',
      'job attempt failed; will retry',
      'processor about to fail',
      'job failed',
    ]);
    for (const line of [...about(flaky.intent.id), ...about(broken.intent.id)]) {
      expect(line, String(line.msg)).toMatchObject({ portalId: PORTAL_ID, attempt: expect.any(Number) });
    }
    // No line of a processor went out without the job's ids.
    const processorLines = lines.filter((l) => String(l.msg).startsWith('processor '));
    expect(processorLines).toHaveLength(4);
    expect(processorLines.every((l) => typeof l.jobId === 'string' && l.portalId === PORTAL_ID)).toBe(true);
  });
});

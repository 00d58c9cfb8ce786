import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../server/config/env.ts';
import { createAppContext } from '../../../server/context.ts';
import { syncFull } from '../../../server/jobs/sync-full.job.ts';
import { enqueue } from '../../../server/queue/enqueue.ts';
import { defineProcessor } from '../../../workers/processor.ts';
import { startWorkers } from '../../../workers/start-workers.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { TEST_REDIS_URL } from '../../helpers/redis.ts';

const db = useTestDatabase();

describe('server and workers', () => {
  it('meet on the same queues when both are configured only by the environment', async () => {
    const env = parseEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `t${randomBytes(4).toString('hex')}`,
    });
    const server = createAppContext(env);
    const seen: number[] = [];
    const workers = startWorkers({
      env,
      processors: [defineProcessor(syncFull, async ({ portalId }) => void seen.push(portalId))],
    });
    try {
      await db.pool.query(`INSERT INTO portals (portal_id) VALUES (7)`);
      await enqueue(server.queueDeps, syncFull, { portalId: 7 }, { runKey: 'meet' });
      for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen).toEqual([7]);
    } finally {
      await workers.stop();
      await server.close();
    }
  });
});

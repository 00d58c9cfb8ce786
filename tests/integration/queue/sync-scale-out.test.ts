import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncFull } from '../../../server/jobs/sync-full.job.ts';
import { syncIncremental } from '../../../server/jobs/sync-incremental.job.ts';
import { enqueue } from '../../../server/queue/enqueue.ts';
import { parseFixture, type Fixture } from '../../../server/sandbox/fixture.ts';
import { syncFullProcessor } from '../../../workers/processors/sync-full.ts';
import { syncIncrementalProcessor } from '../../../workers/processors/sync-incremental.ts';
import { startWorkers, type RunningWorkers } from '../../../workers/start-workers.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { installedPortal, type InstalledPortal } from '../sync/helpers/installed-portal.ts';
import { expectMirrorEqualsFixture } from '../sync/helpers/mirror-vs-fixture.ts';
import { countsOf, minimumCalls, sandboxCalls } from '../sync/helpers/sync-calls.ts';

const FIXTURE = 'tests/fixtures/demo-portal.json';
const fixture: Fixture = parseFixture(JSON.parse(readFileSync(FIXTURE, 'utf8')));
const db = useTestDatabase();
let portal: InstalledPortal;
const workers: RunningWorkers[] = [];

beforeAll(async () => {
  // Each HubSpot answer takes 25 ms, so the first full sync is still running when the other jobs start.
  portal = await installedPortal(db.url, {
    fixture: FIXTURE,
    middlewares: { faults: (_req, _res, next) => void setTimeout(next, 25) },
  });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await portal?.close();
});

describe('two worker processes on one portal', () => {
  it('run one full sync between them: no page is read twice, and a concurrent incremental run waits its turn', async () => {
    const { context } = portal.app;
    const callsBefore = sandboxCalls(portal.sandbox);
    // The install queued the first full sync; an operator's re-run and the schedule's incremental
    // run arrive while it is pending.
    await enqueue(context, syncFull, { portalId: portal.portalId }, { runKey: 'operator-rerun' });
    await enqueue(context, syncIncremental, { portalId: portal.portalId }, { runKey: 'schedule' });

    const processors = () => [
      syncFullProcessor({ clientFor: context.clientFor, counters: context.counters }),
      syncIncrementalProcessor({ clientFor: context.clientFor, counters: context.counters }),
    ];
    // Two independent worker sets (own Redis and Postgres connections) stand for two machines.
    for (let i = 0; i < 2; i++) {
      workers.push(startWorkers({ env: portal.app.env, prefix: context.queues.prefix, processors: processors() }));
    }

    let intents: { name: string; status: string }[] = [];
    for (let i = 0; i < 300; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      intents = (
        await db.pool.query<{ name: string; status: string }>(
          `SELECT name, status FROM job_intents WHERE name IN ('sync.full', 'sync.incremental') ORDER BY name, id`,
        )
      ).rows;
      if (intents.every((intent) => intent.status === 'completed')) break;
    }
    expect(intents).toEqual([
      { name: 'sync.full', status: 'completed' },
      { name: 'sync.full', status: 'completed' },
      { name: 'sync.incremental', status: 'completed' },
    ]);

    // One full run, read once: exactly the calls the data needs, although two full jobs ran.
    const runs = await db.pool.query(`SELECT kind, status FROM sync_runs WHERE portal_id = $1 AND kind = 'full'`, [
      portal.portalId,
    ]);
    expect(runs.rows).toEqual([{ kind: 'full', status: 'succeeded' }]);
    const incrementalCalls = await db.pool.query<{ calls: number }>(
      `SELECT COALESCE(sum(api_calls), 0)::int AS calls FROM sync_runs WHERE portal_id = $1 AND kind = 'incremental'`,
      [portal.portalId],
    );
    expect(sandboxCalls(portal.sandbox) - callsBefore).toBe(
      minimumCalls(countsOf(fixture)) + incrementalCalls.rows[0]!.calls,
    );
    await expectMirrorEqualsFixture(db.pool, portal.portalId, fixture);
  });
});

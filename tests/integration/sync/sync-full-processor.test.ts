import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFixture, type Fixture } from '../../../server/sandbox/fixture.ts';
import { syncFullProcessor } from '../../../workers/processors/sync-full.ts';
import { startWorkers, type RunningWorkers } from '../../../workers/start-workers.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { installedPortal, type InstalledPortal } from './helpers/installed-portal.ts';
import { expectMirrorEqualsFixture } from './helpers/mirror-vs-fixture.ts';

const FIXTURE = 'tests/fixtures/demo-portal.json';
const fixture: Fixture = parseFixture(JSON.parse(readFileSync(FIXTURE, 'utf8')));
const db = useTestDatabase();
let portal: InstalledPortal;
let workers: RunningWorkers | undefined;

beforeAll(async () => {
  portal = await installedPortal(db.url, { fixture: FIXTURE });
});
afterAll(async () => {
  await workers?.stop();
  await portal?.close();
});

describe('the sync.full processor', () => {
  it('runs the full sync the install queued, and the mirror equals the portal', async () => {
    const { context } = portal.app;
    workers = startWorkers({
      env: portal.app.env,
      prefix: context.queues.prefix,
      processors: [syncFullProcessor({ clientFor: context.clientFor, counters: context.counters })],
    });
    let intent: { status: string } | undefined;
    for (let i = 0; i < 200 && intent?.status !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      intent = (await db.pool.query(`SELECT status FROM job_intents WHERE name = 'sync.full'`)).rows[0];
    }
    expect(intent).toEqual({ status: 'completed' });
    const runs = await db.pool.query(`SELECT kind, status FROM sync_runs WHERE portal_id = $1`, [portal.portalId]);
    expect(runs.rows).toEqual([{ kind: 'full', status: 'succeeded' }]);
    await expectMirrorEqualsFixture(db.pool, portal.portalId, fixture);
  });
});

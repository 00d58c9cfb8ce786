import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFixture, type Fixture } from '../../../server/sandbox/fixture.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { runFullSync } from '../../../server/sync/full-sync.ts';
import { createRng } from '../../bench/generator/random.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { startNodeScript, type NodeProcess } from '../../helpers/processes.ts';
import { TEST_REDIS_URL } from '../../helpers/redis.ts';
import { writeGeneratedFixture } from './helpers/generated-fixture.ts';
import { expectMirrorEqualsFixture, mirrorSnapshot, propertiesNotRequested } from './helpers/mirror-vs-fixture.ts';
import { countsOf, minimumCalls, sandboxCalls } from './helpers/sync-calls.ts';

/**
 * The full sync in a real worker process (BullMQ worker, `sync.full` processor, its own pg pool and
 * Redis connection), SIGKILLed at five random points and restarted each time: BullMQ hands the job
 * back once its lock expires, the run resumes from its checkpoints, and the rows end up exactly as an
 * uninterrupted sync's. A failure names its seed: run again with KILL_TEST_SEED=<seed>.
 */
const SEED = Number(process.env.KILL_TEST_SEED) || Math.floor(Math.random() * 2 ** 31);
const KILLS = 5;
const CONTACTS = 2_000;
const LOCK_MS = 1_000;
const WORKER = 'tests/helpers/scripts/sync-worker.ts';

const killed = useTestDatabase();
const uninterrupted = useTestDatabase();
let sandbox: Sandbox;
let fixture: Fixture;
let remove: () => Promise<void> = async () => undefined;
const apps: AppUnderTest[] = [];
let worker: NodeProcess | undefined;

async function install(databaseUrl: string): Promise<AppUnderTest> {
  const app = await startApp({ databaseUrl, hubspotUrl: sandbox.url });
  apps.push(app);
  const landing = (await browse(`${app.url}/oauth/install`)).at(-1)!;
  if (landing.status !== 200) throw new Error(`install failed: ${landing.status}`);
  return app;
}

async function waitFor(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline)
      throw new Error(`seed ${SEED}: timed out waiting for ${what}\n${worker?.output() ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

beforeAll(async () => {
  const generated = await writeGeneratedFixture(CONTACTS, 11);
  remove = generated.remove;
  fixture = parseFixture(JSON.parse(readFileSync(generated.file, 'utf8')));
  sandbox = await startSandbox({ fixture: generated.file });
});
afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await worker?.exited;
  for (const app of apps) await app.close();
  await sandbox?.close();
  await remove();
});

describe(`a full sync in a worker process killed at ${KILLS} random points (seed ${SEED})`, () => {
  it('resumes after each SIGKILL and ends in the rows of an uninterrupted sync, with no duplicate', async () => {
    const app = await install(killed.url);
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: killed.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: app.env.REDIS_PREFIX,
      HUBSPOT_API_BASE_URL: sandbox.url,
      LOCK_MS: String(LOCK_MS),
    };
    const minimum = minimumCalls(countsOf(fixture));
    const rng = createRng(SEED);
    // Five distinct points, each "after the k-th HubSpot call the sandbox answered, plus up to 20 ms":
    // between pages, or while a page is being written.
    const points = new Set<number>();
    while (points.size < KILLS) points.add(rng.int(2, minimum - 3));
    const plan = [...points].sort((a, b) => a - b).map((call) => ({ call, delayMs: rng.int(0, 20) }));
    const base = sandboxCalls(sandbox);
    const intent = async () =>
      (await killed.pool.query<{ status: string }>(`SELECT status FROM job_intents WHERE name = 'sync.full'`)).rows[0]
        ?.status;

    for (const { call, delayMs } of plan) {
      worker = startNodeScript(WORKER, env);
      await waitFor(`call ${call}`, () => sandboxCalls(sandbox) - base >= call);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      worker.child.kill('SIGKILL');
      await worker.exited;
      expect(await intent(), `seed ${SEED}: killed after call ${call}`).toBe('pending');
    }
    worker = startNodeScript(WORKER, env);
    await waitFor('the sync to finish', async () => (await intent()) === 'completed');
    worker.child.kill('SIGTERM');
    await worker.exited;
    const calls = sandboxCalls(sandbox) - base;

    const runs = await killed.pool.query(`SELECT kind, status, records FROM sync_runs WHERE portal_id = $1`, [
      sandbox.portalId,
    ]);
    const live = countsOf(fixture);
    expect(runs.rows, `seed ${SEED}`).toEqual([
      { kind: 'full', status: 'succeeded', records: live.contacts + live.companies + live.deals + live.tickets },
    ]);
    // Each kill loses at most the page in flight.
    expect(calls, `seed ${SEED}: ${calls} calls`).toBeLessThanOrEqual(minimum + KILLS);

    const reference = await install(uninterrupted.url);
    await runFullSync(
      {
        db: uninterrupted.pool,
        client: reference.context.clientFor(sandbox.portalId),
        counters: reference.context.counters,
      },
      sandbox.portalId,
    );
    expect(await mirrorSnapshot(killed.pool, sandbox.portalId), `seed ${SEED}`).toEqual(
      await mirrorSnapshot(uninterrupted.pool, sandbox.portalId),
    );
    await expectMirrorEqualsFixture(killed.pool, sandbox.portalId, fixture, {
      ignoredProperties: propertiesNotRequested(fixture),
    });
  }, 120_000);
});

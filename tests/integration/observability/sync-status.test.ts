import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSyncRun } from '../../../server/db/repositories/sync-runs.ts';
import { fullSyncStreams } from '../../../server/observability/full-sync-streams.ts';
import type { SyncStatus } from '../../../server/observability/sync-status.ts';
import { parseFixture } from '../../../server/sandbox/fixture.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { runFullSync } from '../../../server/sync/full-sync.ts';
import type { HubSpotCaller } from '../../../server/sync/hubspot-caller.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { spawn } from 'node:child_process';

const FIXTURE = 'tests/fixtures/demo-portal.json';
const fixture = parseFixture(JSON.parse(readFileSync(FIXTURE, 'utf8')));
const liveContacts = (fixture.objects.contacts ?? []).filter((c) => !c.archived).length;
const db = useTestDatabase();
const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789';
let sandbox: Sandbox;
let app: AppUnderTest;
let portalId: number;

beforeAll(async () => {
  sandbox = await startSandbox({ fixture: FIXTURE });
  app = await startApp({ databaseUrl: db.url, hubspotUrl: sandbox.url, env: { OPERATOR_API_TOKEN: OPERATOR_TOKEN } });
  expect((await browse(`${app.url}/oauth/install`)).at(-1)!.status).toBe(200);
  portalId = sandbox.portalId;
});
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
});

function get(path: string, token: string | null = OPERATOR_TOKEN) {
  return fetch(`${app.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

async function status(): Promise<SyncStatus> {
  const response = await get(`/operator/portals/${portalId}/sync`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: SyncStatus }).data;
}

/**
 * `npm run sync:progress` against the test database: `showing(text)` resolves once its progress output
 * (stderr, where the bar goes) contains `text`; `done` with its exit code and output.
 */
function syncProgress(...args: string[]) {
  const child = spawn(process.execPath, ['server/cli/sync-progress.ts', ...args], {
    env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiting: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of waiting.filter((w) => stderr.includes(w.text))) w.resolve();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    done,
    showing: (text: string) =>
      new Promise<void>((resolve) => (stderr.includes(text) ? resolve() : waiting.push({ text, resolve }))),
  };
}

/** The portal's client, holding the first call made after the contacts finished until released. */
function pausingAfterContacts(real: HubSpotCaller) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  let paused = false;
  const contactsDone = async () =>
    (
      await db.pool.query(
        `SELECT 1 FROM sync_checkpoints WHERE portal_id = $1 AND stream = 'full:contacts' AND (cursor->>'done')::boolean`,
        [portalId],
      )
    ).rowCount === 1;
  const client: HubSpotCaller = {
    call: async (op, options) => {
      if (!paused && (await contactsDone())) {
        paused = true;
        arrive();
        await released;
      }
      return real.call(op, options);
    },
  };
  return { client, arrived, release };
}

describe('GET /operator/portals/:portalId/sync', () => {
  it('answers only the operator token, and says what is wrong with a request', async () => {
    expect((await get(`/operator/portals/${portalId}/sync`, null)).status).toBe(401);
    expect((await get(`/operator/portals/${portalId}/sync`, `${OPERATOR_TOKEN}x`)).status).toBe(401);
    const unknown = await get('/operator/portals/424242/sync');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, error: { message: 'portal 424242 is not known' } });
    for (const [path, problem] of [
      ['/operator/portals/abc/sync', /portalId/],
      [`/operator/portals/${portalId}/sync?history=0`, /history/],
      [`/operator/portals/${portalId}/sync?history=1000`, /history/],
    ] as const) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message, path).toMatch(problem);
    }
  });

  it('shows a running full sync with its streams done of total and its records so far; the CLI follows it to the end', async () => {
    const gate = pausingAfterContacts(app.context.clientFor(portalId));
    const sync = runFullSync({ db: db.pool, client: gate.client, counters: app.context.counters }, portalId);
    await gate.arrived;

    const during = await status();
    expect(during.running).toHaveLength(1);
    const [progress] = during.running;
    expect(progress!.run).toMatchObject({ kind: 'full', status: 'running', records: liveContacts, finishedAt: null });
    expect(progress!.streams).toMatchObject({ done: 1, total: fullSyncStreams().length });
    expect(progress!.streams!.items.map((i) => i.stream)).toEqual(fullSyncStreams());
    expect(progress!.streams!.items.map((i) => i.state)).toEqual([
      'done',
      ...fullSyncStreams()
        .slice(1)
        .map(() => 'pending'),
    ]);
    expect(Date.parse(String(progress!.lastProgressAt))).toBeGreaterThanOrEqual(
      Date.parse(String(progress!.run.startedAt)),
    );

    // The CLI, started while the sync is held: it shows the bar, then the outcome once released.
    const cli = syncProgress('--portal', String(portalId), '--interval', '100');
    await cli.showing(`1/${fullSyncStreams().length} streams | ${liveContacts} records`);
    gate.release();
    const outcome = await sync;
    expect(outcome.status).toBe('succeeded');
    const { code, stdout, stderr } = await cli.done;
    expect({ code, stderr: stderr.includes(`full sync #${outcome.runId}`) }).toEqual({ code: 0, stderr: true });
    expect(stderr).toMatch(new RegExp(`1/${fullSyncStreams().length} streams \\| ${liveContacts} records`));
    expect(stdout).toMatch(
      new RegExp(`^full sync #${outcome.runId} succeeded in [\\d.]+ s: [\\d,]+ records, \\d+ API calls`),
    );
  });

  it('shows the finished run as the last successful full sync, and in the history', async () => {
    const after = await status();
    expect(after.running).toEqual([]);
    const [latest] = after.history;
    expect(latest).toMatchObject({ kind: 'full', status: 'succeeded', errors: 0 });
    expect(latest!.durationMs).toBeGreaterThan(0);
    expect(latest!.apiCalls).toBeGreaterThan(0);
    const records = Object.values(fixture.objects)
      .flat()
      .filter((r) => !r.archived).length;
    expect(latest!.records).toBe(records);
    expect(after.lastSucceeded.full).toEqual(latest);
    // Every stream the sync checkpointed in this run is one progress counts (a new stream must be listed).
    const streams = await db.pool.query<{ stream: string }>(
      `SELECT stream FROM sync_checkpoints WHERE portal_id = $1 AND (cursor->>'runId')::bigint = $2 ORDER BY stream`,
      [portalId, latest!.id],
    );
    expect(streams.rows.map((r) => r.stream)).toEqual(fullSyncStreams().toSorted());
  });

  it('shows a running incremental sync by its records, its stream total being unknown', async () => {
    const run = await insertSyncRun(db.pool, portalId, 'incremental');
    await db.pool.query(`UPDATE sync_runs SET records = 7 WHERE portal_id = $1 AND id = $2`, [portalId, run.id]);
    const during = await status();
    expect(during.running).toEqual([
      {
        run: expect.objectContaining({ id: run.id, kind: 'incremental', records: 7 }),
        streams: null,
        lastProgressAt: null,
      },
    ]);
    const cli = syncProgress('--portal', String(portalId), '--interval', '100');
    await cli.showing(`incremental sync #${run.id} | 7 records`);
    await db.pool.query(
      `UPDATE sync_runs SET status = 'failed', finished_at = now(), error_message = 'HubSpot 503 (transient)'
        WHERE portal_id = $1 AND id = $2`,
      [portalId, run.id],
    );
    const { code, stdout } = await cli.done;
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`incremental sync #${run.id} failed .*: HubSpot 503 \\(transient\\)`));
  });
});

describe('npm run sync:progress', () => {
  it('prints the last run when nothing runs', async () => {
    const { code, stdout } = await syncProgress('--portal', String(portalId)).done;
    expect(code).toBe(0);
    expect(stdout).toMatch(/^No sync running\. Last: incremental sync #\d+ failed/);
  });

  it('refuses an unknown portal and bad arguments', async () => {
    const unknown = await syncProgress('--portal', '424242').done;
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('portal 424242 is not known') });
    const bad = await syncProgress('--portal', 'x').done;
    expect(bad).toMatchObject({ code: 64, stderr: expect.stringContaining('usage: npm run sync:progress') });
  });
});

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { freshDemoDatabase } from '../../../server/demo/demo-database.ts';
import { finishSyncRunAttempt, insertSyncRun } from '../../../server/db/repositories/sync-runs.ts';
import { startServer, type RunningServer } from '../../../server/http/start-server.ts';
import { parseFixture, type Fixture } from '../../../server/sandbox/fixture.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../server/sandbox/server.ts';
import { runIncrementalSync } from '../../../server/sync/incremental-sync.ts';
import { syncOwners } from '../../../server/sync/owners.ts';
import { syncPipelines } from '../../../server/sync/pipelines.ts';
import { writeGeneratedFixture } from '../../integration/sync/helpers/generated-fixture.ts';
import { editOnePercent } from '../../integration/sync/helpers/one-percent-edits.ts';
import { sandboxControl } from '../../integration/sync/helpers/sandbox-control.ts';
import {
  countsOfSandbox,
  incrementalMinimumCalls,
  minimumCalls,
  sandboxCalls,
  type ChangedCounts,
} from '../../integration/sync/helpers/sync-calls.ts';
import type { Benchmark, BenchResult } from '../benchmark.ts';

/**
 * Issue #4's incremental targets, with HubSpot's own limits on both sides (the sandbox answers 429
 * past 110 calls / 10 s and 5 searches / s; the app paces itself to the same):
 * - after 1 % of the records changed, the incremental sync costs ≤ 2 % of the full sync's calls. The
 *   full sync's calls are the minimum the portal's counts allow (sync-full measures that it makes
 *   exactly those), so they are derived, not spent;
 * - a pipeline edit that moves 15,000 deals (one shared hs_lastmodifieddate) is absorbed without a 429
 *   storm: 429s counted by the sandbox.
 * Each case starts from what a finished full sync leaves: its run, owners and pipelines.
 */
const PIPELINE_EDIT_DEALS = 15_000;

const benchmark: Benchmark = {
  name: 'sync-incremental',
  description: 'incremental sync after 1 % edits (calls vs the full sync) and after a 15,000-deal pipeline edit (429s)',
  async run(ctx) {
    const results: BenchResult[] = [];
    for (const contacts of ctx.full ? [20_000, 50_000, 100_000] : [20_000, 50_000]) {
      ctx.log(`generating a ${contacts}-contact portal…`);
      const generated = await writeGeneratedFixture(contacts, 20_261_123);
      try {
        results.push(await onePercentCase(contacts, generated.file, 'every type', ctx.log));
        if (contacts === 20_000) results.push(await onePercentCase(contacts, generated.file, 'contacts', ctx.log));
      } finally {
        await generated.remove();
      }
    }
    results.push(await pipelineEditCase(ctx.log));
    return results;
  },
};
export default benchmark;

type Harness = { sandbox: Sandbox; app: RunningServer; db: pg.Pool; close(): Promise<void> };

async function harness(fixture: SandboxOptions['fixture']): Promise<Harness> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseUrl = await freshDemoDatabase(serverUrl, 'closed_loop_bench_incremental');
  const sandbox = await startSandbox({ fixture, budget: 'hubspot' });
  const app = await startServer({
    port: 0,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl,
      HUBSPOT_API_BASE_URL: sandbox.url,
      HUBSPOT_AUTHORIZE_URL: `${sandbox.url}/oauth/authorize`,
    },
    context: { redisPrefix: `bench:${randomBytes(4).toString('hex')}` },
  });
  const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  let url = `${app.url}/oauth/install`;
  for (let hop = 0; hop < 5; hop++) {
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) break;
    url = new URL(location, url).toString();
  }
  // What a finished full sync leaves behind for the incremental sync: its run, owners and pipelines.
  const portalId = sandbox.portalId;
  const run = await insertSyncRun(db, portalId, 'full');
  const context = { db, client: app.context.clientFor(portalId), portalId, runId: run.id };
  await syncOwners(context);
  await syncPipelines(context);
  await finishSyncRunAttempt(db, portalId, run.id, {
    status: 'succeeded',
    calls: { apiCalls: 0, rateLimited: 0, errors: 0 },
    errorMessage: null,
  });
  return {
    sandbox,
    app,
    db,
    close: async () => {
      await db.end();
      await app.close();
      await sandbox.close();
    },
  };
}

/** Runs the incremental sync; the sandbox's answered and refused calls over the run. */
async function measuredIncremental(h: Harness) {
  const { rejected } = h.sandbox.plugins.budget.counters(h.sandbox.portalId);
  const refusedBefore = rejected.standard + rejected.search;
  const before = sandboxCalls(h.sandbox);
  const started = performance.now();
  await runIncrementalSync(
    { db: h.db, client: h.app.context.clientFor(h.sandbox.portalId), counters: h.app.context.counters },
    h.sandbox.portalId,
  );
  const seconds = (performance.now() - started) / 1_000;
  const after = h.sandbox.plugins.budget.counters(h.sandbox.portalId);
  return {
    calls: sandboxCalls(h.sandbox) - before,
    rateLimited: after.rejected.standard + after.rejected.search - refusedBefore,
    seconds,
  };
}

async function onePercentCase(
  contacts: number,
  fixtureFile: string,
  scope: 'every type' | 'contacts',
  log: (message: string) => void,
): Promise<BenchResult> {
  const h = await harness(fixtureFile);
  try {
    let changed: ChangedCounts;
    if (scope === 'every type') changed = await editOnePercent(h.sandbox);
    else {
      const live = [...h.sandbox.store.tables.contacts.all()].filter((r) => !r.archived);
      const inputs = live
        .filter((_, i) => i % 100 === 0)
        .map((r) => ({ id: r.id, properties: { firstname: `Edited ${r.id}` } }));
      const edited = await sandboxControl(h.sandbox).editMany('contacts', inputs);
      changed = { contacts: edited.changed, companies: 0, deals: 0, tickets: 0 };
    }
    log(`${contacts} contacts, 1 % of ${scope} edited: incremental sync…`);
    const { calls, rateLimited, seconds } = await measuredIncremental(h);
    const full = minimumCalls(countsOfSandbox(h.sandbox));
    const records = changed.contacts + changed.companies + changed.deals + changed.tickets;
    return {
      case: `${contacts.toLocaleString('en')} contacts, 1 % of ${scope}`,
      metrics: {
        'changed records': { value: records, unit: '', better: 'lower' },
        calls: { value: calls, unit: '', better: 'lower' },
        'fewest for the changes': { value: incrementalMinimumCalls(changed), unit: '', better: 'lower' },
        'full sync calls': { value: full, unit: '', better: 'lower' },
        'calls / full': { value: Number(((100 * calls) / full).toFixed(2)), unit: '%', better: 'lower' },
        '429s': { value: rateLimited, unit: '', better: 'lower' },
        seconds: { value: Number(seconds.toFixed(1)), unit: 's', better: 'lower' },
      },
      notes: `changed: ${JSON.stringify(changed)}; owners, pipelines and recycle bin not due`,
    };
  } finally {
    await h.close();
  }
}

/** The demo portal with 15,000 more deals in one stage, each with a contact. */
function portalWithManyDeals(): Fixture {
  const demo = parseFixture(JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')));
  const contacts = (demo.objects.contacts ?? []).map((c) => c.id);
  const at = '2026-10-01T09:00:00.000Z';
  const deals = Array.from({ length: PIPELINE_EDIT_DEALS }, (_, i) => ({
    id: String(5_000_000 + i),
    createdAt: at,
    updatedAt: at,
    archived: false,
    properties: {
      dealname: `Renewal ${i}`,
      pipeline: 'default',
      dealstage: 'presentationscheduled',
      amount: String(1_000 + (i % 50) * 100),
      createdate: at,
    },
  }));
  return parseFixture({
    ...demo,
    objects: { ...demo.objects, deals: [...(demo.objects.deals ?? []), ...deals] },
    associations: [
      ...demo.associations,
      ...deals.map((d, i) => ({
        from: { type: 'deals' as const, id: d.id },
        to: { type: 'contacts' as const, id: contacts[i % contacts.length]! },
      })),
    ],
  });
}

async function pipelineEditCase(log: (message: string) => void): Promise<BenchResult> {
  const h = await harness(portalWithManyDeals());
  try {
    // An admin removes a stage: HubSpot moves its deals to another, all in one instant.
    const control = sandboxControl(h.sandbox);
    await control.clock({ freeze: true });
    const moved = [...h.sandbox.store.tables.deals.all()].filter(
      (d) => d.properties.get('dealstage') === 'presentationscheduled',
    );
    const edit = await control.editMany(
      'deals',
      moved.map((d) => ({ id: d.id, properties: { dealstage: 'decisionmakerboughtin' } })),
    );
    await control.clock({ freeze: false });
    log(`pipeline edit: ${edit.changed} deals at one instant, incremental sync at HubSpot's limits…`);
    const { calls, rateLimited, seconds } = await measuredIncremental(h);
    const mirrored = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deals WHERE portal_id = $1 AND dealstage = 'decisionmakerboughtin'`,
      [h.sandbox.portalId],
    );
    if (mirrored.rows[0]!.n !== edit.changed)
      throw new Error(`${mirrored.rows[0]!.n} deals mirrored in the new stage, ${edit.changed} moved`);
    const runs = await h.db.query<{ records: number }>(
      `SELECT records FROM sync_runs WHERE portal_id = $1 AND kind = 'incremental'`,
      [h.sandbox.portalId],
    );
    return {
      case: `pipeline edit: ${edit.changed.toLocaleString('en')} deals, one instant`,
      metrics: {
        calls: { value: calls, unit: '', better: 'lower' },
        '429s': { value: rateLimited, unit: '', better: 'lower' },
        '429s / calls': { value: Number(((100 * rateLimited) / calls).toFixed(2)), unit: '%', better: 'lower' },
        'records read': { value: runs.rows[0]!.records, unit: '', better: 'lower' },
        seconds: { value: Number(seconds.toFixed(1)), unit: 's', better: 'lower' },
      },
      notes: 'sandbox and app at HubSpot limits (110 calls / 10 s, 5 searches / s)',
    };
  } finally {
    await h.close();
  }
}

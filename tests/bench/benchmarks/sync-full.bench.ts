import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { freshDemoDatabase } from '../../../server/demo/demo-database.ts';
import { startServer } from '../../../server/http/start-server.ts';
import { parseFixture, type Fixture } from '../../../server/sandbox/fixture.ts';
import { startSandbox } from '../../../server/sandbox/server.ts';
import { runFullSync } from '../../../server/sync/full-sync.ts';
import { writeGeneratedFixture } from '../../integration/sync/helpers/generated-fixture.ts';
import { countsOf, minimumCalls, sandboxCalls } from '../../integration/sync/helpers/sync-calls.ts';
import type { Benchmark, BenchResult } from '../benchmark.ts';

/**
 * Issue #5's efficiency target: a full sync's HubSpot calls (every attempt the sandbox answered) against
 * the fewest the data allows (list pages of 100, or 50 with stage history; association batches of
 * 1,000 ids; one pipelines call per type; owner pages; event pages), target ≤ 1.05 × the minimum. The
 * app runs with HubSpot's real per-portal budget (110 calls / 10 s), so wall time is mostly that limit.
 * Each case also checks the mirror's row counts against the fixture.
 */
const benchmark: Benchmark = {
  name: 'sync-full',
  description: 'full sync of a sandbox portal into Postgres: calls vs the minimum, records/s',
  async run(ctx) {
    const results: BenchResult[] = [await runCase('demo (150 contacts)', 'tests/fixtures/demo-portal.json', ctx.log)];
    for (const contacts of ctx.full ? [20_000, 100_000] : [20_000]) {
      ctx.log(`generating a ${contacts}-contact portal…`);
      const generated = await writeGeneratedFixture(contacts, 20_261_123);
      try {
        results.push(await runCase(`generated ${contacts.toLocaleString('en')} contacts`, generated.file, ctx.log));
      } finally {
        await generated.remove();
      }
    }
    return results;
  },
};
export default benchmark;

async function runCase(name: string, fixtureFile: string, log: (message: string) => void): Promise<BenchResult> {
  const fixture: Fixture = parseFixture(JSON.parse(await readFile(fixtureFile, 'utf8')));
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseUrl = await freshDemoDatabase(serverUrl, 'closed_loop_bench_sync');
  const sandbox = await startSandbox({ fixture: fixtureFile });
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
  try {
    await install(app.url);
    log(`${name}: syncing…`);
    const before = sandboxCalls(sandbox);
    const started = performance.now();
    await runFullSync(
      { db, client: app.context.clientFor(sandbox.portalId), counters: app.context.counters },
      sandbox.portalId,
    );
    const seconds = (performance.now() - started) / 1_000;
    const calls = sandboxCalls(sandbox) - before;
    const counts = countsOf(fixture);
    const minimum = minimumCalls(counts);
    await checkRowCounts(db, sandbox.portalId, counts);
    const records = counts.contacts + counts.companies + counts.deals + counts.tickets;
    return {
      case: name,
      metrics: {
        calls: { value: calls, unit: '', better: 'lower' },
        'minimum calls': { value: minimum, unit: '', better: 'lower' },
        'calls / minimum': { value: Number((calls / minimum).toFixed(3)), unit: '×', better: 'lower' },
        seconds: { value: Number(seconds.toFixed(1)), unit: 's', better: 'lower' },
        'records/s': { value: Math.round(records / seconds), unit: '', better: 'higher' },
      },
      notes: `${records} records, ${counts.contactEvents} events; HubSpot budget 110 calls / 10 s`,
    };
  } finally {
    await db.end();
    await app.close();
    await sandbox.close();
  }
}

/** Installs the app over OAuth as a browser would (follows the redirects by hand). */
async function install(appUrl: string): Promise<void> {
  let url = `${appUrl}/oauth/install`;
  for (let hop = 0; hop < 5; hop++) {
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      if (response.status !== 200) throw new Error(`install failed: ${response.status}`);
      return;
    }
    url = new URL(location, url).toString();
  }
  throw new Error('install: too many redirects');
}

async function checkRowCounts(db: pg.Pool, portalId: number, counts: ReturnType<typeof countsOf>): Promise<void> {
  for (const table of ['contacts', 'companies', 'deals', 'tickets'] as const) {
    const { rows } = await db.query<{ n: string }>(
      // The table name comes from the constant list above, never from input.
      `SELECT count(*) AS n FROM ${table} WHERE portal_id = $1`,
      [portalId],
    );
    if (Number(rows[0]!.n) !== counts[table])
      throw new Error(`${table}: ${rows[0]!.n} rows mirrored, the fixture has ${counts[table]}`);
  }
  const events = await db.query<{ n: string }>(`SELECT count(*) AS n FROM hubspot_events WHERE portal_id = $1`, [
    portalId,
  ]);
  if (Number(events.rows[0]!.n) !== counts.contactEvents)
    throw new Error(`events: ${events.rows[0]!.n} mirrored, the fixture has ${counts.contactEvents}`);
}

import { createApiKey } from '../ingest/api-key.ts';
import { attributionCompute } from '../jobs/attribution-compute.job.ts';
import { hygieneEvaluate } from '../jobs/hygiene-evaluate.job.ts';
import { writebackRun } from '../jobs/writeback-run.job.ts';
import type { WriteBackReport } from '../writeback/write-back.ts';
import { writeDemoOutputs } from './outputs.ts';
import { enqueue } from '../queue/enqueue.ts';
import type { RunningServer } from '../http/start-server.ts';
import { createProcessors } from '../../workers/processors/registry.ts';
import { startWorkers, type RunningWorkers } from '../../workers/start-workers.ts';
import { startServer } from '../http/start-server.ts';
import { startSandbox, type Sandbox } from '../sandbox/server.ts';
import { freshDemoDatabase } from './demo-database.ts';
import { clearDemoRedis } from './demo-redis.ts';
import { runStages, type Stage, type StagesOutcome } from './stages.ts';

export type DemoOptions = {
  fixturePath: string;
  outDir: string;
  /** The demo's own database (dropped and re-created) and Redis prefix; tests use their own. */
  databaseName?: string;
  redisPrefix?: string;
  /** The developer's environment; the demo overrides the database and HubSpot URLs with its own. */
  env: Record<string, string | undefined>;
  print: (line: string) => void;
};

const redisPrefixOf = (state: DemoState) => state.options.redisPrefix ?? 'cl-demo';

type DemoState = {
  options: DemoOptions;
  sandbox?: Sandbox;
  server?: RunningServer;
  workers?: RunningWorkers;
  databaseUrl?: string;
  /** The fixture's clock: SLAs and days in stage are judged at it. */
  now?: Date;
  portalId?: number;
  writeBack?: WriteBackReport;
};

/**
 * The main job once, end to end, on a fixture: the sandbox portal plays HubSpot, the app installs into
 * it over OAuth, syncs, checks, attributes and writes back, and the outputs land in `outDir`. The first
 * stage that fails stops the run with its name and reason.
 */
export async function runDemo(options: DemoOptions): Promise<StagesOutcome> {
  const state: DemoState = { options };
  try {
    return await runStages(STAGES, state, options.print);
  } finally {
    await state.workers?.stop().catch(() => undefined);
    await state.server?.close().catch(() => undefined);
    await state.sandbox?.close().catch(() => undefined);
  }
}

const STAGES: Stage<DemoState>[] = [
  {
    name: 'sandbox portal',
    run: async (state) => {
      state.sandbox = await startSandbox({ fixture: state.options.fixturePath });
      const fixture = state.sandbox.exportFixture();
      state.now = new Date(fixture.now);
      state.portalId = state.sandbox.portalId;
      const counts = Object.entries(fixture.objects).map(([type, list]) => `${list.length} ${type}`);
      return { summary: `portal ${state.sandbox.portalId} at ${state.sandbox.url}: ${counts.join(', ')}` };
    },
  },
  {
    name: 'database',
    run: async (state) => {
      const serverUrl = state.options.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
      state.databaseUrl = await freshDemoDatabase(serverUrl, state.options.databaseName);
      const cleared = await clearDemoRedis(
        state.options.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        redisPrefixOf(state),
      );
      return {
        summary: `fresh, migrated database ${new URL(state.databaseUrl).pathname.slice(1)}; ${cleared} Redis keys of the last run cleared`,
      };
    },
  },
  {
    name: 'server and workers',
    run: async (state) => {
      const sandboxUrl = state.sandbox!.url;
      state.server = await startServer({
        port: 0,
        env: {
          ...state.options.env,
          NODE_ENV: 'development',
          LOG_LEVEL: state.options.env.LOG_LEVEL ?? 'warn',
          REDIS_PREFIX: redisPrefixOf(state),
          DATABASE_URL: state.databaseUrl,
          HUBSPOT_API_BASE_URL: sandboxUrl,
          HUBSPOT_AUTHORIZE_URL: `${sandboxUrl}/oauth/authorize`,
        },
        context: { name: 'demo' },
      });
      // The workers run the jobs the server queues, on the same Redis prefix, at the fixture's clock.
      const now = state.now!;
      state.workers = startWorkers({
        env: state.server.env,
        processors: createProcessors(state.server.context, { clock: () => now }),
        log: state.server.context.log,
      });
      await state.workers.ready;
      return { summary: `server at ${state.server.url}, workers on ${state.workers.workers.length} queues` };
    },
  },
  {
    name: 'OAuth install',
    run: async (state, progress) => {
      let url = `${state.server!.url}/oauth/install`;
      for (let hop = 0; hop < 5; hop++) {
        const response = await fetch(url, { redirect: 'manual' });
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
          progress(`${response.status} → ${new URL(location).origin}${new URL(location).pathname}`);
          url = new URL(location, url).toString();
          continue;
        }
        if (response.status !== 200) throw new Error(`the install ended with HTTP ${response.status}`);
        const { rows } = await state.server!.context.db.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM portals WHERE status = 'installed')::int AS n`,
        );
        return { summary: `${rows[0]?.n ?? 0} portal installed, properties created, first sync queued` };
      }
      throw new Error('too many redirects during install');
    },
  },
  {
    name: 'sync',
    run: async (state, progress) => {
      const { context } = state.server!;
      const intent = await waitForJob(state, 'sync.full', progress);
      const { rows } = await context.db.query<{ records: number; api_calls: number; rate_limited: number }>(
        `SELECT records, api_calls, rate_limited FROM sync_runs WHERE portal_id = $1 AND kind = 'full' ORDER BY id DESC LIMIT 1`,
        [state.portalId],
      );
      const run = rows[0];
      return {
        summary: `${intent}; ${run?.records ?? 0} records, ${run?.api_calls ?? 0} API calls, ${run?.rate_limited ?? 0} rate-limited`,
      };
    },
  },
  {
    name: 'ingest',
    run: async (state) => {
      const fixture = state.sandbox!.exportFixture() as {
        ingest?: { touches?: Record<string, unknown>[]; spend?: unknown[] };
      };
      const touches = (fixture.ingest?.touches ?? []).map((t, i) => ({ ...t, id: `ingest-${i}` }));
      const spend = fixture.ingest?.spend ?? [];
      const { key } = await createApiKey(state.server!.context.db, state.portalId!, {
        label: 'demo',
        createdBy: 'demo',
      });
      const send = async (path: string, body: unknown) => {
        const response = await fetch(`${state.server!.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      };
      if (touches.length > 0) await send('/ingest/v1/touches', { touches });
      if (spend.length > 0) await send('/ingest/v1/spend', { spend });
      return { summary: `${touches.length} offline touches and ${spend.length} spend rows through the ingest API` };
    },
  },
  {
    name: 'hygiene',
    run: async (state, progress) => {
      const { context } = state.server!;
      await enqueue(context.queueDeps, hygieneEvaluate, { portalId: state.portalId! }, { runKey: 'demo' });
      await waitForJob(state, 'hygiene.evaluate', progress);
      const { rows } = await context.db.query<{ code: string; n: number }>(
        `SELECT split_part(code, ':', 1) AS code, count(*)::int AS n FROM findings
          WHERE portal_id = $1 AND resolved_at IS NULL GROUP BY 1 ORDER BY 2 DESC, 1`,
        [state.portalId],
      );
      return { summary: `open findings: ${rows.map((r) => `${r.code} ${r.n}`).join(', ') || 'none'}` };
    },
  },
  {
    name: 'attribution',
    run: async (state, progress) => {
      const { context } = state.server!;
      await enqueue(context.queueDeps, attributionCompute, { portalId: state.portalId! }, { runKey: 'demo' });
      await waitForJob(state, 'attribution.compute', progress);
      for (const model of ['first_touch', 'w_shaped']) {
        for (const kind of ['pipeline', 'revenue'])
          progress(`${model} ${kind}: ${await topChannels(state, model, kind)}`);
      }
      const { rows } = await context.db.query<{ touches: number; trackable: number; credits: number; deals: number }>(
        `SELECT (SELECT count(*) FROM touches WHERE portal_id = $1)::int AS touches,
                (SELECT count(*) FROM touches WHERE portal_id = $1 AND trackable)::int AS trackable,
                (SELECT count(*) FROM attribution_credits WHERE portal_id = $1)::int AS credits,
                (SELECT count(DISTINCT deal_id) FROM attribution_credits WHERE portal_id = $1)::int AS deals`,
        [state.portalId],
      );
      const r = rows[0]!;
      return {
        summary: `${r.touches} touches (${r.trackable} trackable), ${r.credits} credit rows for ${r.deals} deals`,
      };
    },
  },
  {
    name: 'write-back',
    run: async (state, progress) => {
      const { context } = state.server!;
      const before = state.sandbox!.writes.size;
      await enqueue(context.queueDeps, writebackRun, { portalId: state.portalId! }, { runKey: 'demo' });
      await waitForJob(state, 'writeback.run', progress);
      // What HubSpot (the sandbox) received is the truth about what was written.
      const calls = state
        .sandbox!.writes.list({ kind: 'write' })
        .filter((w) => w.seq > before && w.path.endsWith('/batch/update'));
      const records: Record<string, number> = {};
      let values = 0;
      for (const call of calls) {
        const type = call.path.split('/')[4]!;
        const inputs = (call.body as { inputs: { properties: Record<string, string> }[] }).inputs;
        records[type] = (records[type] ?? 0) + inputs.length;
        values += inputs.reduce((sum, i) => sum + Object.keys(i.properties).length, 0);
      }
      state.writeBack = { calls: calls.length, records, properties: values, failed: [] };
      const summary = Object.entries(records)
        .map(([type, n]) => `${n} ${type}`)
        .join(', ');
      return { summary: `${calls.length} batch calls wrote ${values} values on ${summary || 'no records'}` };
    },
  },
  {
    name: 'outputs',
    run: async (state) => {
      const written = await writeDemoOutputs({
        db: state.server!.context.db,
        portalId: state.portalId!,
        now: state.now!,
        outDir: state.options.outDir,
        portalJson: state.sandbox!.exportFixtureJson(),
        writeBack: state.writeBack!,
      });
      return {
        summary: `portal.json, report.json, ${written.findings} findings and ${written.credits} credits in ${state.options.outDir}`,
      };
    },
  },
];

export const DEMO_STAGE_NAMES = STAGES.map((s) => s.name);

/** The three channels with the most credit under a model and kind, in dollars. */
async function topChannels(state: DemoState, model: string, kind: string): Promise<string> {
  const { rows } = await state.server!.context.db.query<{ channel: string; cents: string }>(
    `SELECT channel, sum(cents)::text AS cents FROM attribution_credits
      WHERE portal_id = $1 AND model = $2 AND kind = $3 GROUP BY channel ORDER BY sum(cents) DESC, channel LIMIT 3`,
    [state.portalId, model, kind],
  );
  const dollars = (cents: string) => `$${Math.round(Number(cents) / 100).toLocaleString('en-US')}`;
  return rows.map((r) => `${r.channel} ${dollars(r.cents)}`).join(', ') || 'no credit';
}

/** Waits for the newest job of a name to finish (the workers run it); its intent in Postgres says how it ended. */
async function waitForJob(
  state: DemoState,
  name: string,
  progress: (line: string) => void,
  timeoutMs = 10 * 60_000,
): Promise<string> {
  const { db } = state.server!.context;
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const { rows } = await db.query<{ status: string; attempts: number; last_error: string | null }>(
      `SELECT status, attempts, last_error FROM job_intents WHERE portal_id = $1 AND name = $2 ORDER BY created_at DESC LIMIT 1`,
      [state.portalId, name],
    );
    const intent = rows[0];
    if (intent?.status === 'completed') return `${name} completed`;
    if (intent?.status === 'failed') throw new Error(`${name} failed: ${intent.last_error ?? 'no error recorded'}`);
    const line = intent ? `${name}: attempt ${intent.attempts}` : `${name}: waiting to be queued`;
    if (line !== last) progress((last = line));
    if (Date.now() > deadline) throw new Error(`${name} did not finish within ${timeoutMs / 60_000} minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

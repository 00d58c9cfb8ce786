import type { RunningServer } from '../http/start-server.ts';
import { startServer } from '../http/start-server.ts';
import { startSandbox, type Sandbox } from '../sandbox/server.ts';
import { freshDemoDatabase } from './demo-database.ts';
import { clearDemoRedis } from './demo-redis.ts';
import { runStages, StageNotBuiltError, type Stage, type StagesOutcome } from './stages.ts';

export type DemoOptions = {
  fixturePath: string;
  outDir: string;
  /** The developer's environment; the demo overrides the database and HubSpot URLs with its own. */
  env: Record<string, string | undefined>;
  print: (line: string) => void;
};

const REDIS_PREFIX = 'cl-demo';

type DemoState = { options: DemoOptions; sandbox?: Sandbox; server?: RunningServer; databaseUrl?: string };

/**
 * The main job once, end to end, on a fixture: the sandbox portal plays HubSpot, the app installs into
 * it over OAuth, syncs, checks, attributes and writes back, and the outputs land in `outDir`. Stages
 * that aren't built yet stop the run with their name (see README "Status").
 */
export async function runDemo(options: DemoOptions): Promise<StagesOutcome> {
  const state: DemoState = { options };
  try {
    return await runStages(STAGES, state, options.print);
  } finally {
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
      const counts = Object.entries(fixture.objects).map(([type, list]) => `${list.length} ${type}`);
      return { summary: `portal ${state.sandbox.portalId} at ${state.sandbox.url}: ${counts.join(', ')}` };
    },
  },
  {
    name: 'database',
    run: async (state) => {
      const serverUrl = state.options.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
      state.databaseUrl = await freshDemoDatabase(serverUrl);
      const cleared = await clearDemoRedis(state.options.env.REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_PREFIX);
      return {
        summary: `fresh, migrated database ${new URL(state.databaseUrl).pathname.slice(1)}; ${cleared} Redis keys of the last run cleared`,
      };
    },
  },
  {
    name: 'server',
    run: async (state) => {
      const sandboxUrl = state.sandbox!.url;
      state.server = await startServer({
        port: 0,
        env: {
          ...state.options.env,
          NODE_ENV: 'development',
          LOG_LEVEL: state.options.env.LOG_LEVEL ?? 'warn',
          DATABASE_URL: state.databaseUrl,
          HUBSPOT_API_BASE_URL: sandboxUrl,
          HUBSPOT_AUTHORIZE_URL: `${sandboxUrl}/oauth/authorize`,
        },
        context: { name: 'demo', redisPrefix: REDIS_PREFIX },
      });
      return { summary: `listening at ${state.server.url}` };
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
    run: async () => {
      throw new StageNotBuiltError(
        'the full sync of contacts, companies, deals, tickets, associations and events (issue #4)',
      );
    },
  },
  {
    name: 'ingest',
    run: async () => {
      throw new StageNotBuiltError("the ingest API for the fixture's offline touches and ad spend (issue #6)");
    },
  },
  {
    name: 'hygiene',
    run: async () => {
      throw new StageNotBuiltError('hygiene evaluation and the issue log (issue #5)');
    },
  },
  {
    name: 'attribution',
    run: async () => {
      throw new StageNotBuiltError('attribution credits (issue #6)');
    },
  },
  {
    name: 'write-back',
    run: async () => {
      throw new StageNotBuiltError('write-back of computed properties (issue #7)');
    },
  },
  {
    name: 'outputs',
    run: async () => {
      throw new StageNotBuiltError('portal.json, report.json, findings.jsonl and credits.jsonl (issue #7)');
    },
  },
];

export const DEMO_STAGE_NAMES = STAGES.map((s) => s.name);

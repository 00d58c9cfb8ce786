import { randomBytes } from 'node:crypto';
import { freshDemoDatabase } from '../../../server/demo/demo-database.ts';
import { startServer } from '../../../server/http/start-server.ts';
import { createRequestBudget } from '../../../server/sandbox/limits/index.ts';
import { startSandbox } from '../../../server/sandbox/server.ts';
import { lastJsonLine, runNodeScript } from '../../helpers/processes.ts';
import type { Benchmark, BenchResult } from '../benchmark.ts';

const RATE_PER_SECOND = 10;
const PROCESSES = 3;

type CallerResult = { ok: number; failures: string[]; started: number; finished: number };

/**
 * Issue #3's pacing check: three worker processes share one portal's budget through Redis. The sandbox
 * allows RATE_PER_SECOND requests per rolling second; the app is told the same limit. Good pacing uses
 * most of the budget (≥ 90 %) while almost never being refused (≤ 1 % 429s).
 */
const benchmark: Benchmark = {
  name: 'hubspot-budget',
  description: `${PROCESSES} processes share one portal's HubSpot budget (${RATE_PER_SECOND} req/s at the sandbox)`,
  async run(ctx) {
    const results: BenchResult[] = [];
    for (const calls of ctx.full ? [1_000] : [300, 1_000]) results.push(await runCase(calls, ctx.log));
    return results;
  },
};
export default benchmark;

async function runCase(totalCalls: number, log: (message: string) => void): Promise<BenchResult> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseUrl = await freshDemoDatabase(serverUrl, 'closed_loop_bench');
  let portalId = 0;
  const budget = createRequestBudget({
    perWindow: RATE_PER_SECOND,
    windowMs: 1_000,
    searchPerSecond: 5,
    portalIdOf: (_req, res) => (res.locals.caller ? portalId : undefined),
  });
  const sandbox = await startSandbox({
    fixture: 'tests/fixtures/demo-portal.json',
    middlewares: { budget: budget.middleware },
  });
  portalId = sandbox.portalId;
  const prefix = `bench:${randomBytes(4).toString('hex')}`;
  const server = await startServer({
    port: 0,
    env: {
      ...process.env,
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl,
      HUBSPOT_API_BASE_URL: sandbox.url,
      HUBSPOT_AUTHORIZE_URL: `${sandbox.url}/oauth/authorize`,
    },
    context: { redisPrefix: prefix },
  });
  try {
    let url = `${server.url}/oauth/install`;
    for (
      let response = await fetch(url, { redirect: 'manual' });
      response.status === 302;
      response = await fetch(url, { redirect: 'manual' })
    ) {
      url = new URL(response.headers.get('location')!, url).toString();
    }
    budget.reset();
    log(
      `${totalCalls} calls from ${PROCESSES} processes at ${RATE_PER_SECOND}/s (about ${Math.round(totalCalls / RATE_PER_SECOND)} s)…`,
    );
    const env = {
      DATABASE_URL: databaseUrl,
      HUBSPOT_API_BASE_URL: sandbox.url,
      LOG_LEVEL: 'silent',
      PORTAL_ID: String(sandbox.portalId),
      REDIS_PREFIX: prefix,
      BUDGET_JSON: JSON.stringify({
        standard: { max: RATE_PER_SECOND, windowMs: 1_000 },
        search: { max: 5, windowMs: 1_000 },
      }),
      CONCURRENCY: '20',
      START_AT: String(Date.now() + 2_000),
    };
    const shares = Array.from(
      { length: PROCESSES },
      (_, i) => Math.floor(totalCalls / PROCESSES) + (i < totalCalls % PROCESSES ? 1 : 0),
    );
    const runs = await Promise.all(
      shares.map((calls) => runNodeScript('tests/helpers/scripts/call-hubspot.ts', { ...env, CALLS: String(calls) })),
    );
    const outcomes = runs.map((run) => {
      if (run.code !== 0) throw new Error(`a caller process failed: ${run.stderr}`);
      return lastJsonLine<CallerResult>(run.stdout);
    });
    const ok = outcomes.reduce((sum, o) => sum + o.ok, 0);
    const seconds =
      (Math.max(...outcomes.map((o) => o.finished)) - Math.min(...outcomes.map((o) => o.started))) / 1_000;
    const counters = budget.counters(sandbox.portalId);
    const accepted = counters.accepted.standard;
    const rejected = counters.rejected.standard;
    return {
      case: `${totalCalls} calls`,
      metrics: {
        succeeded: { value: ok / totalCalls, unit: 'share', better: 'higher' },
        budgetUsed: { value: totalCalls / (seconds * RATE_PER_SECOND), unit: 'share', better: 'higher' },
        rateLimited: { value: rejected / (accepted + rejected), unit: 'share of requests', better: 'lower' },
        seconds: { value: seconds, unit: 's', better: 'lower' },
      },
      notes: `${accepted} requests accepted, ${rejected} answered 429 by the sandbox`,
    };
  } finally {
    await server.close();
    await sandbox.close();
  }
}

// A stand-in worker process for tests and benchmarks: builds the app's context from the environment
// exactly as a worker does and makes CALLS HubSpot calls (CONCURRENCY at a time) for PORTAL_ID, then
// prints one JSON line with what happened. START_AT (epoch ms) lines several processes up.
import { parseEnv } from '../../../server/config/env.ts';
import { createAppContext } from '../../../server/context.ts';
import type { BudgetLimits } from '../../../server/hubspot/request-budget.ts';

const env = parseEnv(process.env);
const portalId = Number(process.env.PORTAL_ID);
const calls = Number(process.env.CALLS ?? 10);
const concurrency = Number(process.env.CONCURRENCY ?? calls);
const limits = process.env.BUDGET_JSON ? (JSON.parse(process.env.BUDGET_JSON) as BudgetLimits) : undefined;
const context = createAppContext(env, {
  redisPrefix: process.env.REDIS_PREFIX,
  ...(limits ? { budgetLimits: limits } : {}),
  name: 'caller',
});
const client = context.clientFor(portalId);

const startAt = Number(process.env.START_AT ?? 0);
if (startAt > Date.now()) await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()));

const started = Date.now();
let next = 0;
let ok = 0;
const failures: string[] = [];
await Promise.all(
  Array.from({ length: Math.min(concurrency, calls) }, async () => {
    while (next < calls) {
      next++;
      try {
        await client.call((sdk) => sdk.crm.owners.ownersApi.getPage(undefined, undefined, 10), { idempotent: true });
        ok++;
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  }),
);
const finished = Date.now();
await new Promise((resolve) => setTimeout(resolve, 50)); // let fire-and-forget counters land
console.log(JSON.stringify({ ok, failures, started, finished, refreshes: context.vault.refreshCount }));
await context.close();

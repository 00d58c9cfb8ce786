import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { lastJsonLine, runNodeScript } from '../../helpers/processes.ts';
import { TEST_REDIS_URL, uniquePrefix } from '../../helpers/redis.ts';

const db = useTestDatabase();
let sandbox: Sandbox;
let app: AppUnderTest;

beforeAll(async () => {
  sandbox = await startSandbox({ fixture: 'tests/fixtures/demo-portal.json' });
  app = await startApp({ databaseUrl: db.url, hubspotUrl: sandbox.url });
  const hops = await browse(`${app.url}/oauth/install`);
  expect(hops.at(-1)!.status).toBe(200);
});
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
});

type CallerResult = { ok: number; failures: string[]; refreshes: number };

describe('token refresh across processes', () => {
  it('ten concurrent calls in three processes with an expired token cause exactly one refresh', async () => {
    // Expired on both sides: HubSpot refuses the old token, and the vault knows it must refresh.
    await db.pool.query(`UPDATE oauth_tokens SET expires_at = now() - interval '1 minute'`);
    sandbox.tokens.expireAccessTokens();
    const refreshesBefore = sandbox.tokens.stats().refreshGrants;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: uniquePrefix('callers'),
      HUBSPOT_API_BASE_URL: sandbox.url,
      LOG_LEVEL: 'silent',
      PORTAL_ID: String(sandbox.portalId),
      START_AT: String(Date.now() + 1_500),
    };
    const runs = await Promise.all(
      [4, 3, 3].map((calls) =>
        runNodeScript('tests/helpers/scripts/call-hubspot.ts', { ...env, CALLS: String(calls) }),
      ),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const results = runs.map((r) => lastJsonLine<CallerResult>(r.stdout));
    expect(results.map((r) => r.failures)).toEqual([[], [], []]);
    expect(results.reduce((sum, r) => sum + r.ok, 0)).toBe(10);
    expect(sandbox.tokens.stats().refreshGrants - refreshesBefore).toBe(1);
    expect(results.reduce((sum, r) => sum + r.refreshes, 0)).toBe(1);
  });
});

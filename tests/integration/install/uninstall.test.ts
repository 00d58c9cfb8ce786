import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncIncremental } from '../../../server/jobs/sync-incremental.job.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { runNodeScript } from '../../helpers/processes.ts';
import { TEST_REDIS_URL } from '../../helpers/redis.ts';

const db = useTestDatabase();
const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789';
let sandbox: Sandbox;
let app: AppUnderTest;

beforeAll(async () => {
  sandbox = await startSandbox({ fixture: 'tests/fixtures/demo-portal.json' });
  app = await startApp({ databaseUrl: db.url, hubspotUrl: sandbox.url, env: { OPERATOR_API_TOKEN: OPERATOR_TOKEN } });
});
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
});

async function install(): Promise<void> {
  expect((await browse(`${app.url}/oauth/install`)).at(-1)!.status).toBe(200);
}

async function rowsOfPortal(portalId: number): Promise<number> {
  const { rows } = await db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'portal_id' AND table_name <> 'deletion_audit'`,
  );
  let total = 0;
  // Table names come from the catalog, never from input.
  for (const { table_name } of rows) {
    total += Number(
      (await db.pool.query(`SELECT count(*) AS n FROM ${table_name} WHERE portal_id = $1`, [portalId])).rows[0].n,
    );
  }
  return total;
}

const schedulers = () => app.context.queues.get(syncIncremental.queue).getJobSchedulers();

describe('uninstall', () => {
  it('refuses the operator API without the right token or with a bad request, and changes nothing', async () => {
    await install();
    const url = `${app.url}/operator/portals/${sandbox.portalId}/delete`;
    const noToken = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"reason":"test"}',
    });
    expect(noToken.status).toBe(401);
    const wrong = await fetch(url, {
      method: 'POST',
      headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
      body: '{"reason":"test"}',
    });
    expect(wrong.status).toBe(401);
    const noReason = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noReason.status).toBe(400);
    expect(await noReason.json()).toMatchObject({ ok: false, error: { message: expect.stringContaining('reason') } });
    expect(await rowsOfPortal(sandbox.portalId)).toBeGreaterThan(0);
  });

  it('deletes every row and the schedules of the portal through the operator API, with an audit row', async () => {
    expect(await schedulers()).toHaveLength(1);
    const response = await fetch(`${app.url}/operator/portals/${sandbox.portalId}/delete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'customer asked for deletion' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { rowCounts: Record<string, number> } };
    expect(body.data.rowCounts).toMatchObject({ portals: 1, oauth_tokens: 1, definitions_versions: 1 });
    expect(await rowsOfPortal(sandbox.portalId)).toBe(0);
    expect(await schedulers()).toHaveLength(0);
    const audit = await db.pool.query(`SELECT reason FROM deletion_audit WHERE portal_id = $1`, [sandbox.portalId]);
    expect(audit.rows).toEqual([{ reason: 'operator: customer asked for deletion' }]);
  });

  it('deletes a portal from the command line', async () => {
    await install();
    expect(await rowsOfPortal(sandbox.portalId)).toBeGreaterThan(0);
    const env = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'silent' };
    const usage = await runNodeScript('server/cli/delete-portal.ts', env);
    expect(usage.code).toBe(64);
    expect(await rowsOfPortal(sandbox.portalId)).toBeGreaterThan(0);
    const run = await runNodeScript('server/cli/delete-portal.ts', env, [
      '--portal',
      String(sandbox.portalId),
      '--reason',
      'test run',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Deleted portal ${sandbox.portalId}`);
    expect(await rowsOfPortal(sandbox.portalId)).toBe(0);
  });
});

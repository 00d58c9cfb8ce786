import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortalUnavailableError } from '../../../server/hubspot/token-vault.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { portalPurgeProcessor } from '../../../workers/processors/portal-purge.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';

const db = useTestDatabase();
let sandbox: Sandbox;
let app: AppUnderTest;
const GRACE_MS = 72 * 3_600_000;
/** What an installed portal runs on a schedule: sync, daily evaluation and the loop's digest, snapshot and review. */
const INSTALLED_SCHEDULES = ['hygiene.daily', 'loop.digest', 'loop.review', 'loop.snapshot', 'sync.incremental'];

beforeAll(async () => {
  sandbox = await startSandbox({ fixture: 'tests/fixtures/demo-portal.json' });
  app = await startApp({ databaseUrl: db.url, hubspotUrl: sandbox.url });
});
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
});

const install = async () => expect((await browse(`${app.url}/oauth/install`)).at(-1)!.status).toBe(200);
const schedules = async () =>
  (await db.pool.query<{ key: string }>(`SELECT key FROM job_schedules ORDER BY key`)).rows.map((r) => r.key);
const portalRows = async () => Number((await db.pool.query(`SELECT count(*) AS n FROM portals`)).rows[0].n);

/** HubSpot stops answering for the portal: its refresh token is revoked and the access token expired. */
async function uninstallInHubSpot(): Promise<void> {
  sandbox.tokens.revokeRefreshTokens();
  await db.pool.query(`UPDATE oauth_tokens SET expires_at = now() - interval '1 minute'`);
  await expect(app.context.vault.current(sandbox.portalId)).rejects.toBeInstanceOf(PortalUnavailableError);
}

function runPurge(nowMs: number) {
  const entry = portalPurgeProcessor({ graceMs: GRACE_MS, uninstall: app.context.uninstall, clock: () => nowMs });
  const bound = entry.bind({ portalId: sandbox.portalId });
  if (!bound.ok) throw bound.error;
  return bound.run({
    db: db.pool,
    queues: app.context.queues,
    log: createLogger({ level: 'silent', name: 'test' }),
    jobId: 'test',
    attempt: 1,
    signal: undefined,
  });
}

describe('uninstall signal and grace period', () => {
  it('stops the schedules of a portal that needs re-auth and deletes its data only after the grace period', async () => {
    await install();
    expect(await schedules()).toEqual(INSTALLED_SCHEDULES);
    await uninstallInHubSpot();
    expect((await db.pool.query(`SELECT status FROM portals`)).rows).toEqual([{ status: 'needs_reauth' }]);
    expect(await schedules()).toEqual(['portal.purge']);

    await runPurge(Date.now() + GRACE_MS - 60_000);
    expect(await portalRows()).toBe(1);

    await runPurge(Date.now() + GRACE_MS + 60_000);
    expect(await portalRows()).toBe(0);
    expect(await schedules()).toEqual([]);
    const audit = await db.pool.query(`SELECT reason FROM deletion_audit`);
    expect(audit.rows).toEqual([{ reason: 'portal needs_reauth for more than 72 h' }]);
  });

  it('keeps the data of a portal reinstalled within the grace period', async () => {
    await install();
    await uninstallInHubSpot();
    await install();
    expect(await schedules()).toEqual(INSTALLED_SCHEDULES);
    await runPurge(Date.now() + GRACE_MS + 60_000);
    expect(await portalRows()).toBe(1);
    expect((await db.pool.query(`SELECT status FROM portals`)).rows).toEqual([{ status: 'installed' }]);
  });
});

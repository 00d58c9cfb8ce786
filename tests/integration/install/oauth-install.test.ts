import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { propertySpecsOf } from '../../../server/install/property-specs.ts';
import { OAuthStateStore } from '../../../server/hubspot/oauth-state.ts';
import { TokenCipher } from '../../../server/security/token-cipher.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';

const db = useTestDatabase();
let sandbox: Sandbox;
let app: AppUnderTest;

beforeAll(async () => {
  sandbox = await startSandbox({ fixture: 'tests/fixtures/demo-portal.json' });
  app = await startApp({ databaseUrl: db.url, hubspotUrl: sandbox.url });
});
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
});

const count = async (sql: string) => Number((await db.pool.query(sql)).rows[0].n);

describe('OAuth install against the sandbox portal', () => {
  it('refuses forged, malformed and replayed states with a clear page and no side effect', async () => {
    const before = sandbox.writes.size;
    // Correctly signed with the app's secret, but issued 11 minutes ago.
    const expired = await new OAuthStateStore(
      app.context.redis,
      app.env.HUBSPOT_CLIENT_SECRET,
      () => Date.now() - 11 * 60_000,
    ).issue();
    const expiredPage = await fetch(`${app.url}/oauth/callback?code=anything&state=${encodeURIComponent(expired)}`);
    expect(expiredPage.status).toBe(400);
    expect(await expiredPage.text()).toContain('expired');
    for (const state of ['forged.1.abc', '', 'x'.repeat(30)]) {
      const response = await fetch(`${app.url}/oauth/callback?code=anything&state=${encodeURIComponent(state)}`);
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/Install not completed/);
    }
    expect(await count('SELECT count(*) AS n FROM portals')).toBe(0);
    expect(sandbox.writes.size).toBe(before);
  });

  it('installs: portal, sealed tokens, every section-8 property, definitions v1, first sync queued', async () => {
    const hops = await browse(`${app.url}/oauth/install`);
    expect(hops.map((h) => h.status)).toEqual([302, 302, 200]);
    const authorize = new URL(hops[0]!.headers.get('location')!);
    expect(authorize.searchParams.get('scope')).toContain('crm.schemas.deals.write');
    const landing = await hops[2]!.text();
    expect(landing).toContain('Closed Loop is installed');
    expect(landing).toContain(`Portal ${sandbox.portalId}`);

    const portal = await db.pool.query('SELECT portal_id, status, installed_by_email FROM portals');
    expect(portal.rows).toEqual([
      { portal_id: sandbox.portalId, status: 'installed', installed_by_email: expect.any(String) },
    ]);

    // No token in plain text anywhere in the row.
    const tokenRow = await db.pool.query('SELECT * FROM oauth_tokens');
    expect(tokenRow.rows).toHaveLength(1);
    const row = tokenRow.rows[0];
    const cipher = new TokenCipher(app.env.TOKEN_ENCRYPTION_KEYS);
    const access = cipher.open({ keyId: row.key_id, blob: row.access_token_enc }, `portal:${sandbox.portalId}:access`);
    const refresh = cipher.open(
      { keyId: row.key_id, blob: row.refresh_token_enc },
      `portal:${sandbox.portalId}:refresh`,
    );
    expect(sandbox.tokens.accessToken(access)).toBeDefined();
    expect(sandbox.tokens.refreshToken(refresh)).toBeDefined();
    const raw = JSON.stringify(row) + Buffer.concat([row.access_token_enc, row.refresh_token_enc]).toString('latin1');
    expect(raw).not.toContain(access);
    expect(raw).not.toContain(refresh);

    // Every property of section 8, exactly as the definitions say, in the closed_loop group.
    const state = sandbox.exportFixture();
    for (const spec of propertySpecsOf(DEFAULT_DEFINITIONS)) {
      const created = state.properties?.[spec.objectType]?.find((p) => p.name === spec.name);
      expect(created, `${spec.objectType}.${spec.name}`).toMatchObject({
        label: spec.label,
        type: spec.type,
        fieldType: spec.fieldType,
        groupName: 'closed_loop',
      });
      expect((created?.options ?? []).map((o) => o.value)).toEqual(spec.options.map((o) => o.value));
    }
    for (const objectType of ['contacts', 'companies', 'deals', 'tickets'] as const) {
      expect(state.propertyGroups?.[objectType]?.map((g) => g.name)).toContain('closed_loop');
    }

    const definitions = await db.pool.query('SELECT version, document FROM definitions_versions');
    expect(definitions.rows).toHaveLength(1);
    expect(definitions.rows[0].version).toBe(1);
    expect(definitions.rows[0].document).toEqual(JSON.parse(JSON.stringify(DEFAULT_DEFINITIONS)));

    expect(await count(`SELECT count(*) AS n FROM job_intents WHERE name = 'sync.full' AND status = 'pending'`)).toBe(
      1,
    );
    expect(await count(`SELECT count(*) AS n FROM job_schedules WHERE name = 'sync.incremental'`)).toBe(1);
  });

  it('a second install changes nothing and writes no property', async () => {
    const snapshot = async () =>
      (
        await db.pool
          .query(`SELECT (SELECT count(*) FROM portals) AS p, (SELECT count(*) FROM definitions_versions) AS d,
        (SELECT count(*) FROM job_intents) AS j, (SELECT count(*) FROM job_schedules) AS s`)
      ).rows[0];
    const before = await snapshot();
    const writesBefore = sandbox.writes.size;
    const hops = await browse(`${app.url}/oauth/install`);
    expect(hops.at(-1)!.status).toBe(200);
    expect(await hops.at(-1)!.text()).toContain('already in place');
    expect(await snapshot()).toEqual(before);
    const newWrites = sandbox.writes.list().slice(writesBefore);
    // Only the OAuth code exchange itself; no property or group was written.
    expect(newWrites.filter((w) => w.path.startsWith('/crm/'))).toEqual([]);
  });

  it('refuses a state that was already used', async () => {
    const toHubSpot = await fetch(`${app.url}/oauth/install`, { redirect: 'manual' });
    const authorize = await fetch(toHubSpot.headers.get('location')!, { redirect: 'manual' });
    const callback = authorize.headers.get('location')!;
    expect((await fetch(callback)).status).toBe(200);
    const replay = await fetch(callback);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');
  });
});

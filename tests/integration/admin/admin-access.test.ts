import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKeys } from '../../../server/admin/admin-keys.ts';
import { signAdminLink } from '../../../server/admin/signed-link.ts';
import { authenticateApiKey } from '../../../server/ingest/api-key.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import {
  ADMIN,
  PORTAL_ID,
  prepareDemoPortal,
  prepareOtherPortal,
  requestEntryLink,
  startAdminApp,
  type AdminApp,
} from './helpers/admin-portal.ts';
import { CookieClient, csrfTokenOf } from './helpers/browser-client.ts';

/**
 * Who gets into the admin page and how: signed entry links (expiry, single use, tampering), HubSpot
 * OAuth sign-in, sessions (cookie attributes, idle and absolute expiry, sign-out), CSRF on every write,
 * and portals kept apart.
 */
const db = useTestDatabase();
let admin: AdminApp;
const OTHER_PORTAL = 9_100_001;
const OTHER_ADMIN = { userId: 8_001, userEmail: 'other-admin@example.com' };

beforeAll(async () => {
  await prepareDemoPortal(db.pool);
  await prepareOtherPortal(db.pool, OTHER_PORTAL, OTHER_ADMIN);
  admin = await startAdminApp(db.url);
});
afterAll(async () => {
  await admin?.close();
});

const page = (portalId = PORTAL_ID) => `${admin.app.url}/admin/portals/${portalId}`;

/** A browser signed in to a portal through an entry link. */
async function signedIn(claims = { portalId: PORTAL_ID, ...ADMIN }): Promise<{ browser: CookieClient; csrf: string }> {
  const link = await requestEntryLink(admin.app, claims);
  expect(link.json.ok, JSON.stringify(link.json)).toBe(true);
  const browser = new CookieClient();
  const { response } = await browser.follow(link.json.data!.url);
  expect(response.status).toBe(200);
  return { browser, csrf: csrfTokenOf(await response.text()) };
}

async function count(sql: string, params: unknown[]): Promise<number> {
  return (await db.pool.query<{ n: number }>(sql, params)).rows[0]!.n;
}

describe('an unauthenticated visitor', () => {
  it('gets a sign-in page and no data, from the page and the reports API', async () => {
    const visitor = new CookieClient();
    const response = await visitor.get(page());
    expect(response.status).toBe(401);
    const body = await response.text();
    expect(body).toContain('/admin/login');
    expect(body).not.toContain('<svg');
    expect(body).not.toContain('missing_field');
    expect(body).not.toContain(String(PORTAL_ID));
    const report = await visitor.get(`${admin.app.url}/api/portals/${PORTAL_ID}/reports/win-rate`);
    expect(report.status).toBe(401);
    expect(await report.json()).toEqual({ ok: false, error: { message: expect.any(String) } });
    const records = await visitor.get(`${admin.app.url}/api/portals/${PORTAL_ID}/reports/win-rate/records?outcome=won`);
    expect(records.status).toBe(401);
    const recordsPage = await visitor.get(`${page()}/records/win-rate?outcome=won`);
    expect(recordsPage.status).toBe(401);
    expect(await recordsPage.text()).not.toContain('app.hubspot.com');
  });

  it('cannot write anything', async () => {
    const before = await count(`SELECT count(*)::int AS n FROM api_keys WHERE portal_id = $1`, [PORTAL_ID]);
    const response = await new CookieClient().postJson(`${page()}/api-keys`, { label: 'x' }, { 'x-csrf-token': 'x' });
    expect(response.status).toBe(401);
    expect(await count(`SELECT count(*)::int AS n FROM api_keys WHERE portal_id = $1`, [PORTAL_ID])).toBe(before);
  });
});

describe('signed entry links', () => {
  it('are issued to an admin of an installed portal for a request HubSpot signed, and open a session', async () => {
    const link = await requestEntryLink(admin.app, { portalId: PORTAL_ID, ...ADMIN });
    expect(link.status).toBe(200);
    expect(link.json.ok).toBe(true);
    const url = new URL(link.json.data!.url);
    expect(url.origin + url.pathname).toBe(`${admin.app.url}/admin/enter`);
    const expiresIn = Date.parse(link.json.data!.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(4 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(5 * 60_000);

    const browser = new CookieClient();
    const entered = await browser.get(url.toString());
    expect(entered.status).toBe(303);
    expect(entered.headers.get('location')).toBe(`/admin/portals/${PORTAL_ID}`);
    const cookie = browser.setCookieHeaders.find((h) => h.startsWith('cl_admin='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    // Plain http on 127.0.0.1 (tests): not Secure, or the browser would never send it back.
    expect(cookie).not.toMatch(/Secure/i);
    const pageResponse = await browser.get(page());
    expect(pageResponse.status).toBe(200);
    expect(await pageResponse.text()).toContain('id="chart-funnel"');
    // Only the id's hash is stored.
    const id = browser.cookies.get('cl_admin')!;
    expect(
      await count(`SELECT count(*)::int AS n FROM admin_sessions WHERE id_hash = sha256($1::bytea)`, [Buffer.from(id)]),
    ).toBe(1);
  });

  it('are refused the second time', async () => {
    const link = await requestEntryLink(admin.app, { portalId: PORTAL_ID, ...ADMIN });
    await new CookieClient().get(link.json.data!.url);
    const again = new CookieClient();
    const response = await again.get(link.json.data!.url);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('already used');
    expect(again.cookies.has('cl_admin')).toBe(false);
  });

  it('are refused once expired', async () => {
    const keys = adminKeys(admin.app.env);
    const { token } = signAdminLink(keys.link, { portalId: PORTAL_ID, ...ADMIN }, Date.now() - 5 * 60_000 - 1);
    const browser = new CookieClient();
    const response = await browser.get(`${admin.app.url}/admin/enter?token=${token}`);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('expired');
    expect(browser.cookies.has('cl_admin')).toBe(false);
  });

  it('are refused when tampered with: another portal or user in the claims, a changed signature, another key', async () => {
    const link = await requestEntryLink(admin.app, { portalId: PORTAL_ID, ...ADMIN });
    const token = new URL(link.json.data!.url).searchParams.get('token')!;
    const [body, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const reclaimed = Buffer.from(
      JSON.stringify({ ...claims, portalId: OTHER_PORTAL, userId: OTHER_ADMIN.userId }),
    ).toString('base64url');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const foreign = signAdminLink(Buffer.alloc(32, 7), { portalId: PORTAL_ID, ...ADMIN, userEmail: null }, Date.now());
    for (const forged of [`${reclaimed}.${signature}`, `${body}.${flipped}`, foreign.token, body, '']) {
      const browser = new CookieClient();
      const response = await browser.get(`${admin.app.url}/admin/enter?token=${encodeURIComponent(forged)}`);
      expect(response.status, forged).toBe(400);
      expect(browser.cookies.has('cl_admin')).toBe(false);
    }
    // The untouched link still works: the refusals above did not use it up.
    expect((await new CookieClient().get(link.json.data!.url)).status).toBe(303);
  });

  it('are not issued without a valid HubSpot signature, nor to a non-admin or for a portal not installed', async () => {
    const claims = { portalId: PORTAL_ID, ...ADMIN };
    expect((await requestEntryLink(admin.app, claims, { unsigned: true })).status).toBe(401);
    expect((await requestEntryLink(admin.app, claims, { secret: 'not-the-client-secret-00000000' })).status).toBe(401);
    expect((await requestEntryLink(admin.app, claims, { timestamp: Date.now() - 6 * 60_000 })).status).toBe(401);

    const nonAdmin = await requestEntryLink(admin.app, {
      portalId: PORTAL_ID,
      userId: 424_242,
      userEmail: 'rep@example.com',
    });
    expect(nonAdmin).toEqual({
      status: 200,
      json: { ok: false, error: { code: 'forbidden', message: expect.any(String) } },
    });
    const unknown = await requestEntryLink(admin.app, { portalId: 123_456, ...ADMIN });
    expect(unknown.json).toEqual({ ok: false, error: { code: 'not_found', message: expect.any(String) } });
    const malformed = await requestEntryLink(admin.app, { portalId: 'x', userId: 1 });
    expect(malformed.json).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'portalId' } });
  });

  it('stop working when the user is no longer an admin before the link is used', async () => {
    await db.pool.query(
      `INSERT INTO portal_admins (portal_id, user_id, email, added_by) VALUES ($1, 5555, null, 'test')`,
      [PORTAL_ID],
    );
    const link = await requestEntryLink(admin.app, { portalId: PORTAL_ID, userId: 5555 });
    expect(link.json.ok).toBe(true);
    await db.pool.query(`DELETE FROM portal_admins WHERE portal_id = $1 AND user_id = 5555`, [PORTAL_ID]);
    const response = await new CookieClient().get(link.json.data!.url);
    expect(response.status).toBe(403);
  });
});

describe('signing in with HubSpot', () => {
  it('admits the portal admin HubSpot signs in, through the authorize page and the callback', async () => {
    const browser = new CookieClient();
    const { response, hops } = await browser.follow(`${admin.app.url}/admin/login`);
    const authorize = new URL(hops[1]!);
    expect(authorize.origin + authorize.pathname).toBe(`${admin.sandbox.url}/oauth/authorize`);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${admin.app.url}/admin/oauth/callback`);
    expect(authorize.searchParams.get('client_id')).toBe(admin.app.env.HUBSPOT_CLIENT_ID);
    expect(hops[2]).toContain('/admin/oauth/callback?code=');
    expect(hops.at(-1)).toBe(page());
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(ADMIN.userEmail);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM admin_sessions WHERE portal_id = $1 AND via = 'oauth' AND user_id = $2`,
        [PORTAL_ID, ADMIN.userId],
      ),
    ).toBeGreaterThan(0);
  });

  it('refuses a callback that did not start in this browser', async () => {
    const starter = new CookieClient();
    const started = await starter.get(`${admin.app.url}/admin/login`);
    const approved = await fetch(started.headers.get('location')!, { redirect: 'manual' });
    const callback = approved.headers.get('location')!;
    const other = new CookieClient();
    const response = await other.get(callback);
    expect(response.status).toBe(400);
    expect(other.cookies.has('cl_admin')).toBe(false);
  });

  it('refuses a HubSpot user who is not an admin of the portal', async () => {
    await db.pool.query(`UPDATE portals SET installed_by_user_id = 999 WHERE portal_id = $1`, [PORTAL_ID]);
    try {
      const browser = new CookieClient();
      const { response } = await browser.follow(`${admin.app.url}/admin/login`);
      expect(response.status).toBe(403);
      const body = await response.text();
      expect(body).not.toContain('<svg');
      expect(browser.cookies.has('cl_admin')).toBe(false);
    } finally {
      await db.pool.query(`UPDATE portals SET installed_by_user_id = $2 WHERE portal_id = $1`, [
        PORTAL_ID,
        ADMIN.userId,
      ]);
    }
  });
});

describe('sessions', () => {
  it('end after 30 idle minutes, after 8 hours whatever happens, and on sign-out', async () => {
    const idle = await signedIn();
    await db.pool.query(
      `UPDATE admin_sessions SET last_seen_at = now() - interval '31 minutes' WHERE id_hash = sha256($1::bytea)`,
      [Buffer.from(idle.browser.cookies.get('cl_admin')!)],
    );
    expect((await idle.browser.get(page())).status).toBe(401);

    const old = await signedIn();
    await db.pool.query(
      `UPDATE admin_sessions SET expires_at = now() - interval '1 second' WHERE id_hash = sha256($1::bytea)`,
      [Buffer.from(old.browser.cookies.get('cl_admin')!)],
    );
    expect((await old.browser.get(page())).status).toBe(401);

    const leaving = await signedIn();
    const id = leaving.browser.cookies.get('cl_admin')!;
    const refused = await leaving.browser.request(`${admin.app.url}/admin/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '_csrf=wrong',
    });
    expect(refused.status).toBe(403);
    expect((await leaving.browser.get(page())).status).toBe(200);
    const out = await leaving.browser.request(`${admin.app.url}/admin/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${encodeURIComponent(leaving.csrf)}`,
    });
    expect(out.status).toBe(200);
    expect(
      await count(`SELECT count(*)::int AS n FROM admin_sessions WHERE id_hash = sha256($1::bytea)`, [Buffer.from(id)]),
    ).toBe(0);
    const replay = new CookieClient();
    replay.cookies.set('cl_admin', id);
    expect((await replay.get(page())).status).toBe(401);
  });

  it('stop working when the portal is uninstalled', async () => {
    const { browser } = await signedIn();
    await db.pool.query(`UPDATE portals SET status = 'uninstalled' WHERE portal_id = $1`, [PORTAL_ID]);
    try {
      expect((await browser.get(page())).status).toBe(401);
    } finally {
      await db.pool.query(`UPDATE portals SET status = 'installed' WHERE portal_id = $1`, [PORTAL_ID]);
    }
  });
});

describe('CSRF', () => {
  it('a write without the token, or with another session’s, is refused with 403 and changes nothing', async () => {
    const { browser, csrf } = await signedIn();
    const other = await signedIn();
    const keys = () => count(`SELECT count(*)::int AS n FROM api_keys WHERE portal_id = $1`, [PORTAL_ID]);
    const versions = () =>
      count(`SELECT max(version)::int AS n FROM definitions_versions WHERE portal_id = $1`, [PORTAL_ID]);
    const keysBefore = await keys();
    const versionBefore = await versions();
    for (const headers of [
      {},
      { 'x-csrf-token': '' },
      { 'x-csrf-token': other.csrf },
      { 'x-csrf-token': `${csrf}x` },
    ] as Record<string, string>[]) {
      const created = await browser.postJson(`${page()}/api-keys`, { label: 'sneaky' }, headers);
      expect(created.status).toBe(403);
      const saved = await browser.postJson(
        `${page()}/definitions`,
        { text: '{}', format: 'json', reason: 'sneaky', baseVersion: versionBefore },
        headers,
      );
      expect(saved.status).toBe(403);
    }
    expect(await keys()).toBe(keysBefore);
    expect(await versions()).toBe(versionBefore);

    const created = await browser.postJson(
      `${page()}/api-keys`,
      { label: 'events platform' },
      { 'x-csrf-token': csrf },
    );
    expect(created.status).toBe(201);
    const { data } = (await created.json()) as { data: { id: string; key: string } };
    expect(await keys()).toBe(keysBefore + 1);
    expect(await authenticateApiKey(db.pool, data.key)).toEqual({ portalId: PORTAL_ID, keyId: data.id });
    const revoked = await browser.postJson(`${page()}/api-keys/${data.id}/revoke`, {}, { 'x-csrf-token': csrf });
    expect(revoked.status).toBe(200);
    expect(await authenticateApiKey(db.pool, data.key)).toBeUndefined();
  });
});

describe('portals are kept apart', () => {
  it("another portal's admin gets 404 for this portal's page, reports and writes", async () => {
    const { browser, csrf } = await signedIn({ portalId: OTHER_PORTAL, ...OTHER_ADMIN });
    expect((await browser.get(page(OTHER_PORTAL))).status).toBe(200);
    const response = await browser.get(page());
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('<svg');
    expect((await browser.get(`${admin.app.url}/api/portals/${PORTAL_ID}/reports/win-rate`)).status).toBe(404);
    expect(
      (await browser.get(`${admin.app.url}/api/portals/${PORTAL_ID}/reports/win-rate/records?outcome=won`)).status,
    ).toBe(404);
    const records = await browser.get(`${page()}/records/win-rate?outcome=won`);
    expect(records.status).toBe(404);
    expect(await records.text()).not.toContain('app.hubspot.com');
    const before = await count(`SELECT count(*)::int AS n FROM api_keys WHERE portal_id = $1`, [PORTAL_ID]);
    const write = await browser.postJson(`${page()}/api-keys`, { label: 'x' }, { 'x-csrf-token': csrf });
    expect(write.status).toBe(404);
    expect(await count(`SELECT count(*)::int AS n FROM api_keys WHERE portal_id = $1`, [PORTAL_ID])).toBe(before);
    // And this portal's admin cannot enter the other one with a link of their own.
    const link = await requestEntryLink(admin.app, { portalId: OTHER_PORTAL, ...ADMIN });
    expect(link.json).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('admins', () => {
  it('an added admin can enter; once removed, their session ends at once', async () => {
    const { browser, csrf } = await signedIn();
    const added = await browser.postJson(
      `${page()}/admins`,
      { userId: '6001', email: 'ops@example.com' },
      { 'x-csrf-token': csrf },
    );
    expect(added.status).toBe(201);
    const second = await signedIn({ portalId: PORTAL_ID, userId: 6001, userEmail: 'ops@example.com' });
    expect((await second.browser.get(page())).status).toBe(200);
    const bad = await browser.postJson(`${page()}/admins`, { userId: 'abc' }, { 'x-csrf-token': csrf });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('userId');
    const removed = await browser.postJson(`${page()}/admins/6001/remove`, {}, { 'x-csrf-token': csrf });
    expect(removed.status).toBe(200);
    expect((await second.browser.get(page())).status).toBe(401);
  });
});

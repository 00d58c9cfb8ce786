import { createHmac } from 'node:crypto';
import type pg from 'pg';
import { ensureFirstDefinitions } from '../../../../server/db/repositories/definitions.ts';
import { DEFAULT_DEFINITIONS } from '../../../../server/domain/policy/default-policy.ts';
import { startSandbox, type Sandbox } from '../../../../server/sandbox/server.ts';
import { startApp, type AppUnderTest } from '../../../helpers/app-under-test.ts';
import { demoFixture, runDemoLoop, seedDemoPortal } from '../../../helpers/demo-portal-loop.ts';
import { CookieClient, csrfTokenOf } from './browser-client.ts';

/**
 * The demo portal as the admin page sees it after a loop: the mirror seeded from the fixture, evaluated,
 * attributed and the reporting tables refreshed, installed by ADMIN. The app runs against a sandbox
 * serving the same portal (its OAuth approves as ADMIN).
 */
export const fixture = demoFixture;
export const PORTAL_ID = fixture.portalId;
export const ADMIN = { userId: 7_001, userEmail: 'admin@example.com' };

export async function prepareDemoPortal(db: pg.Pool): Promise<void> {
  await seedDemoPortal(db);
  await db.query(
    `UPDATE portals SET status = 'installed', installed_by_user_id = $2, installed_by_email = $3, hub_domain = $4
      WHERE portal_id = $1`,
    [PORTAL_ID, ADMIN.userId, ADMIN.userEmail, `portal-${PORTAL_ID}.sandbox.hubspot.test`],
  );
  await runDemoLoop(db);
}

/** Another installed portal with its own admin and definitions, and nothing else. */
export async function prepareOtherPortal(db: pg.Pool, portalId: number, admin: { userId: number; userEmail: string }) {
  await db.query(
    `INSERT INTO portals (portal_id, status, installed_by_user_id, installed_by_email) VALUES ($1, 'installed', $2, $3)`,
    [portalId, admin.userId, admin.userEmail],
  );
  await ensureFirstDefinitions(db, portalId, DEFAULT_DEFINITIONS);
}

export type AdminApp = { sandbox: Sandbox; app: AppUnderTest; close(): Promise<void> };

export async function startAdminApp(databaseUrl: string, env: Record<string, string> = {}): Promise<AdminApp> {
  const sandbox = await startSandbox({
    fixture: 'tests/fixtures/demo-portal.json',
    installer: { userId: ADMIN.userId, email: ADMIN.userEmail },
  });
  const app = await startApp({ databaseUrl, hubspotUrl: sandbox.url, env });
  return {
    sandbox,
    app,
    close: async () => {
      await app.close();
      await sandbox.close();
    },
  };
}

type SignOptions = { secret?: string; timestamp?: number; unsigned?: boolean; query?: string };

/**
 * A request of the HubSpot settings component through `hubspot.fetch`: a JSON body signed v3 by
 * HubSpot's proxy (HMAC-SHA256 with the client secret over method + URI + body + timestamp, computed
 * here from HubSpot's recipe, not the server's code). `query`: what HubSpot appends to the URL.
 */
export async function signedSettingsRequest<T>(
  app: AppUnderTest,
  path: string,
  body: unknown,
  options: SignOptions = {},
): Promise<{ status: number; json: { ok: boolean; data?: T; error?: { code: string; message: string } } }> {
  const uri = `${app.url}${path}${options.query ? `?${options.query}` : ''}`;
  const text = JSON.stringify(body);
  const timestamp = options.timestamp ?? Date.now();
  const signature = createHmac('sha256', options.secret ?? app.env.HUBSPOT_CLIENT_SECRET)
    .update(`POST${uri}${text}${timestamp}`)
    .digest('base64');
  const response = await fetch(uri, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': String(timestamp),
      ...(options.unsigned ? {} : { 'x-hubspot-signature-v3': signature }),
    },
    body: text,
  });
  return { status: response.status, json: (await response.json()) as never };
}

/** Asks for an entry link as the settings component does. */
export function requestEntryLink(app: AppUnderTest, body: unknown, options: SignOptions = {}) {
  return signedSettingsRequest<{ url: string; expiresAt: string }>(app, '/admin/link', body, options);
}

/** The demo portal's admin page, opened by its admin through an entry link: their browser and CSRF token. */
export async function signedInAdmin(
  db: pg.Pool,
  databaseUrl: string,
): Promise<{ admin: AdminApp; browser: CookieClient; csrf: string }> {
  await prepareDemoPortal(db);
  const admin = await startAdminApp(databaseUrl);
  const link = await requestEntryLink(admin.app, { portalId: PORTAL_ID, ...ADMIN });
  const browser = new CookieClient();
  const { response } = await browser.follow(link.json.data!.url);
  return { admin, browser, csrf: csrfTokenOf(await response.text()) };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFindings } from '../../../server/db/repositories/findings.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import {
  ADMIN,
  PORTAL_ID,
  prepareDemoPortal,
  requestEntryLink,
  startAdminApp,
  type AdminApp,
} from './helpers/admin-portal.ts';
import { CookieClient } from './helpers/browser-client.ts';

/**
 * What the page shows an admin: the issue log narrowed by owner and code, sync status and history,
 * reports narrowed by the filters, every value escaped, and a clear 400 for filters it cannot read.
 */
const db = useTestDatabase();
let admin: AdminApp;
let browser: CookieClient;
const page = async (query = '') => {
  const response = await browser.get(`${admin.app.url}/admin/portals/${PORTAL_ID}${query}`);
  return { status: response.status, html: await response.text() };
};
/** The rows of the issue log table, as "objectType objectId|code". */
const issueRows = (html: string) =>
  [...html.matchAll(/<tr data-finding="([^"]+)">/g)].map((m) =>
    m[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
  );

beforeAll(async () => {
  await prepareDemoPortal(db.pool);
  admin = await startAdminApp(db.url);
  const link = await requestEntryLink(admin.app, { portalId: PORTAL_ID, ...ADMIN });
  browser = new CookieClient();
  await browser.follow(link.json.data!.url);
});
afterAll(async () => {
  await admin?.close();
});

describe('the admin page', () => {
  it('lists the open findings, narrowed by owner and by code or code family', async () => {
    const all = await listFindings(db.pool, PORTAL_ID, { open: true });
    const expected = (list: typeof all) => list.map((f) => `${f.objectType} ${f.objectId}|${f.code}`).sort();
    expect(issueRows((await page()).html).sort()).toEqual(expected(all));

    const owner = all.find((f) => f.ownerEmail !== null)!.ownerEmail!;
    const byOwner = issueRows((await page(`?issueOwner=${encodeURIComponent(owner)}`)).html).sort();
    expect(byOwner).toEqual(expected(all.filter((f) => f.ownerEmail === owner)));
    expect(byOwner.length).toBeLessThan(all.length);

    const unowned = issueRows((await page('?issueOwner=unowned')).html).sort();
    expect(unowned).toEqual(expected(all.filter((f) => f.ownerEmail === null)));

    const family = issueRows((await page('?issueCode=missing_field')).html).sort();
    expect(family).toEqual(expected(all.filter((f) => f.code.startsWith('missing_field:'))));
    expect(family.length).toBeGreaterThan(1);
    const code = all.find((f) => f.code.startsWith('missing_field:'))!.code;
    const exact = issueRows((await page(`?issueCode=${encodeURIComponent(code)}`)).html).sort();
    expect(exact).toEqual(expected(all.filter((f) => f.code === code)));
    // A family name must not match a longer family sharing its prefix.
    expect(issueRows((await page('?issueCode=missing')).html)).toEqual([]);
  });

  it('shows sync status and history', async () => {
    await db.pool.query(
      `INSERT INTO sync_runs (portal_id, kind, status, started_at, finished_at, records, api_calls)
       VALUES ($1, 'full', 'succeeded', '2026-10-31T10:00:00Z', '2026-10-31T10:01:05Z', 221, 37),
              ($1, 'incremental', 'failed', '2026-10-31T11:00:00Z', '2026-10-31T11:00:02Z', 0, 3)`,
      [PORTAL_ID],
    );
    const { html } = await page();
    const history = html.slice(html.indexOf('id="sync-history"'));
    expect(history).toMatch(
      /<td>full<\/td>\s*<td>succeeded<\/td>\s*<td>2026-10-31 10:00 UTC<\/td>\s*<td>65\.0 s<\/td>\s*<td>221<\/td>\s*<td>37<\/td>/,
    );
    expect(history).toMatch(/<td>incremental<\/td>\s*<td>failed/);
    expect(html).toMatch(/Last full sync: 2026-10-31 10:01 UTC \(221 records\)/);
  });

  it('narrows the reports by the filters and says when they were refreshed', async () => {
    const { html: all } = await page();
    const { html: none } = await page('?from=2000-01-01&to=2000-01-31');
    expect(all).toContain('id="chart-win-rate"');
    expect(none).not.toContain('<svg id="chart-win-rate"');
    expect(none).toContain('No data for win rate by lead channel with these filters.');
    expect(all).toMatch(/Last refreshed\s+<time datetime="2026-11-01T00:00:00.000Z">/);
  });

  it('links every count to the page of its records, as many as the count, each linked into HubSpot', async () => {
    const { html } = await page();
    const decode = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    const links = [...html.matchAll(/<a class="drill" href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({
      href: decode(m[1]!),
      text: decode(m[2]!).trim(),
    }));
    expect(links.length).toBeGreaterThan(20);
    for (const report of [
      'funnel',
      'velocity',
      'win-rate',
      'spend-efficiency',
      'cac-payback',
      'delivery-by-channel',
      'kpis',
    ])
      expect(
        links.some((l) => l.href.includes(`/records/${report}?`)),
        report,
      ).toBe(true);
    // Every plain count on the page equals the number of records its page lists.
    const counts = links.filter((l) => /^\d+$/.test(l.text)).slice(0, 40);
    expect(counts.length).toBeGreaterThan(10);
    for (const link of counts) {
      const response = await browser.get(`${admin.app.url}${link.href}`);
      expect(response.status, link.href).toBe(200);
      const records = await response.text();
      const total = /<strong id="drill-total">(\d+)<\/strong>/.exec(records)![1];
      expect(total, link.href).toBe(link.text);
      const rows = [...records.matchAll(/<tr data-record="(\w+) (\d+)">\s*<td><a href="([^"]+)"/g)];
      expect(rows.length, link.href).toBe(Math.min(Number(link.text), 500));
      for (const [, type, id, url] of rows)
        expect(url).toBe(
          `https://app.hubspot.com/contacts/${PORTAL_ID}/record/${{ contacts: '0-1', companies: '0-2', deals: '0-3', tickets: '0-5' }[type!]}/${id}`,
        );
    }
    // The records page keeps the filters and leads back to the dashboards with them.
    const filtered = await browser.get(
      `${admin.app.url}/admin/portals/${PORTAL_ID}/records/win-rate?ownerId=501&outcome=won`,
    );
    const body = await filtered.text();
    expect(body).toMatch(/href="\/admin\/portals\/\d+\?ownerId=501#dashboards"/);
    expect(body).toContain('/api/portals/');
    const bad = await browser.get(`${admin.app.url}/admin/portals/${PORTAL_ID}/records/win-rate?outcome=tied`);
    expect(bad.status).toBe(400);
    const none = await browser.get(`${admin.app.url}/admin/portals/${PORTAL_ID}/records/nope`);
    expect(none.status).toBe(404);
  });

  it('shows velocity and CAC payback inputs with their charts', async () => {
    const { html } = await page();
    expect(html).toContain('id="chart-velocity"');
    expect(html).toContain('id="chart-cac"');
    expect(html).toContain('id="cac-table"');
    expect(html).toContain('id="velocity-table"');
  });

  it('escapes every value it shows', async () => {
    await db.pool.query(
      `UPDATE findings SET proposed_fix = '<script>alert(1)</script>', owner_email = '"><img src=x onerror=alert(1)>'
        WHERE portal_id = $1 AND code = (SELECT min(code) FROM findings WHERE portal_id = $1)`,
      [PORTAL_ID],
    );
    const { html } = await page();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('answers filters it cannot read with a 400 naming them', async () => {
    const { status, html } = await page('?from=yesterday&funnel=leads&colour=red');
    expect(status).toBe(400);
    expect(html).toContain('from:');
    expect(html).toContain('funnel:');
    expect(html).toContain('colour');
    expect(html).not.toContain('<svg');
  });
});

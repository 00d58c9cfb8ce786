import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastReportingRefresh } from '../../../server/db/repositories/reporting.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { deliveryByChannelReport } from '../../../server/reporting/reports/delivery-by-channel.ts';
import { funnelReport } from '../../../server/reporting/reports/funnel.ts';
import { spendEfficiencyReport } from '../../../server/reporting/reports/spend-efficiency.ts';
import { winRateReport } from '../../../server/reporting/reports/win-rate.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import {
  ADMIN,
  PORTAL_ID,
  fixture,
  prepareDemoPortal,
  requestEntryLink,
  startAdminApp,
  type AdminApp,
} from './helpers/admin-portal.ts';
import { CookieClient } from './helpers/browser-client.ts';
import { parseCsv as parse } from './helpers/parse-csv.ts';

/**
 * The reports' HTTP API: each report as JSON with the filters as query parameters, CSV of each of its
 * tables, read with the admin session or the operator token; bad input is a 400 that says what and where.
 */
const db = useTestDatabase();
const OPERATOR_TOKEN = 'operator-token-for-reports-0123456789';
let admin: AdminApp;
let browser: CookieClient;
const api = (path: string) => `${admin.app.url}/api/portals/${PORTAL_ID}/reports${path}`;

beforeAll(async () => {
  await prepareDemoPortal(db.pool);
  admin = await startAdminApp(db.url, { OPERATOR_API_TOKEN: OPERATOR_TOKEN });
  const link = await requestEntryLink(admin.app, { portalId: PORTAL_ID, ...ADMIN });
  browser = new CookieClient();
  await browser.follow(link.json.data!.url);
});
afterAll(async () => {
  await admin?.close();
});

type Answer<T> = {
  ok: true;
  data: { report: string; metric: { id: string; version: number }; refreshedAt: string; filters: unknown; result: T };
};

describe('the reports API', () => {
  it('lists the reports', async () => {
    const response = await browser.get(api(''));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { report: string }[] };
    expect(body.data.map((r) => r.report)).toEqual([
      'funnel',
      'win-rate',
      'spend-efficiency',
      'delivery-by-channel',
      'kpis',
    ]);
  });

  it('answers each report as its query computes it, with the filters from the query string and when it was refreshed', async () => {
    const owner = fixture.objects.deals.find((d) => d.properties.dealstage === 'closedwon')!.properties
      .hubspot_owner_id!;
    const filters = { from: '2025-01-01', to: '2026-10-31', ownerId: owner };
    const query = new URLSearchParams(filters).toString();

    const win = (await (await browser.get(api(`/win-rate?${query}`))).json()) as Answer<unknown>;
    expect(win.data.result).toEqual(await winRateReport(db.pool, PORTAL_ID, filters));
    expect(win.data.filters).toEqual(filters);
    expect(win.data.metric).toEqual({ id: 'win_rate', version: 1 });
    expect(win.data.refreshedAt).toBe((await lastReportingRefresh(db.pool, PORTAL_ID))!.refreshedAt.toISOString());

    const funnel = (await (await browser.get(api('/funnel?object=contacts'))).json()) as Answer<unknown>;
    expect(funnel.data.result).toEqual(
      JSON.parse(JSON.stringify(await funnelReport(db.pool, PORTAL_ID, DEFAULT_DEFINITIONS, 'contacts', {}))),
    );
    const spend = (await (
      await browser.get(api('/spend-efficiency?model=linear&channel=paid_search'))
    ).json()) as Answer<unknown>;
    expect(spend.data.result).toEqual(
      await spendEfficiencyReport(db.pool, PORTAL_ID, 'linear', { channel: 'paid_search' }),
    );
    const delivery = (await (await browser.get(api('/delivery-by-channel'))).json()) as Answer<unknown>;
    expect(delivery.data.result).toEqual(await deliveryByChannelReport(db.pool, PORTAL_ID, {}));
    const kpis = (await (await browser.get(api('/kpis'))).json()) as Answer<{
      completeness: Record<string, number | null>;
    }>;
    expect(Object.keys(kpis.data.result.completeness).sort()).toEqual(['company', 'contact', 'deal', 'ticket']);
  });

  it('exports each table as CSV', async () => {
    const expected = await winRateReport(db.pool, PORTAL_ID, {});
    const response = await browser.get(api('/win-rate?format=csv'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toContain(`win-rate-channels-portal-${PORTAL_ID}.csv`);
    const rows = parse(await response.text()) as string[][];
    expect(rows[0]).toEqual(['lead_channel', 'won', 'lost', 'win_rate']);
    expect(rows.slice(1)).toHaveLength(expected.byChannel.length + 1);
    expect(rows[1]).toEqual([
      '(all)',
      String(expected.overall.won),
      String(expected.overall.lost),
      String(expected.overall.winRate),
    ]);

    const deals = parse(await (await browser.get(api('/win-rate?format=csv&table=deals'))).text()) as string[][];
    expect(deals.slice(1)).toHaveLength(expected.byChannel.reduce((n, r) => n + r.deals.length, 0));
    expect(deals[1]![3]).toMatch(new RegExp(`^https://app\\.hubspot\\.com/contacts/${PORTAL_ID}/record/0-3/\\d+$`));
  });

  it('refuses bad input with a 400 saying what and where', async () => {
    const cases: [string, RegExp][] = [
      ['/win-rate?from=2026-13-01', /from/],
      ['/win-rate?chanel=email', /unknown query parameter chanel/],
      ['/win-rate?from=2026-01-01&from=2026-02-01', /from/],
      ['/funnel?object=leads', /object/],
      ['/spend-efficiency?model=first_click', /model: unknown attribution model "first_click"/],
      ['/win-rate?format=xml', /format/],
      ['/win-rate?format=csv&table=nope', /table: "nope" is not a table of win-rate/],
      ['/kpis?channel=email', /takes no filters/],
    ];
    for (const [path, message] of cases) {
      const response = await browser.get(api(path));
      expect(response.status, path).toBe(400);
      const body = (await response.json()) as { ok: false; error: { message: string } };
      expect(body.error.message, path).toMatch(message);
    }
    const unknown = await browser.get(api('/velocity'));
    expect(unknown.status).toBe(404);
  });

  it('lets machines in with the operator token, and nobody with a wrong one', async () => {
    const ok = await fetch(api('/win-rate'), { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
    expect(ok.status).toBe(200);
    const wrong = await fetch(api('/win-rate'), { headers: { authorization: `Bearer ${OPERATOR_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    // A wrong token is refused even alongside a valid session cookie: the header says who is asking.
    const mixed = await browser.get(api('/win-rate'), { authorization: 'Bearer nope' });
    expect(mixed.status).toBe(401);
    const unknownPortal = await fetch(`${admin.app.url}/api/portals/424242/reports/win-rate`, {
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    });
    expect(unknownPortal.status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastReportingRefresh } from '../../../server/db/repositories/reporting.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { deliveryByChannelReport } from '../../../server/reporting/reports/delivery-by-channel.ts';
import { funnelReport } from '../../../server/reporting/reports/funnel.ts';
import { cacPaybackReport } from '../../../server/reporting/reports/cac-payback.ts';
import { spendEfficiencyReport } from '../../../server/reporting/reports/spend-efficiency.ts';
import { velocityReport } from '../../../server/reporting/reports/velocity.ts';
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
      'velocity',
      'win-rate',
      'spend-efficiency',
      'cac-payback',
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
    const velocity = (await (await browser.get(api(`/velocity?${query}`))).json()) as Answer<unknown>;
    expect(velocity.data.result).toEqual(
      await velocityReport(db.pool, PORTAL_ID, DEFAULT_DEFINITIONS, 'deals', filters),
    );
    expect(velocity.data.metric).toEqual({ id: 'velocity', version: 1 });
    const cac = (await (await browser.get(api('/cac-payback?channel=paid_search'))).json()) as Answer<unknown>;
    expect(cac.data.result).toEqual(await cacPaybackReport(db.pool, PORTAL_ID, { channel: 'paid_search' }));
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

  it('answers the records behind a figure, as many as the figure counts, each linked into HubSpot', async () => {
    type Records = {
      ok: true;
      data: {
        figure: string;
        total: number;
        offset: number;
        limit: number;
        refreshedAt: string;
        cell: Record<string, string>;
        columns: string[];
        sum?: { column: string; value: number };
        records: { objectType: string; id: number; url: string; values: Record<string, unknown> }[];
      };
    };
    const win = await winRateReport(db.pool, PORTAL_ID, {});
    const row = win.byChannel.find((r) => r.won > 0)!;
    const response = await browser.get(api(`/win-rate/records?leadChannel=${row.leadChannel}&outcome=won`));
    expect(response.status).toBe(200);
    const won = (await response.json()) as Records;
    expect(won.data.total).toBe(row.won);
    expect(won.data.records).toHaveLength(row.won);
    expect(won.data.cell).toEqual({ leadChannel: row.leadChannel, outcome: 'won' });
    expect(won.data.refreshedAt).toBe((await lastReportingRefresh(db.pool, PORTAL_ID))!.refreshedAt.toISOString());
    for (const record of won.data.records)
      expect(record.url).toBe(`https://app.hubspot.com/contacts/${PORTAL_ID}/record/0-3/${record.id}`);

    // Paging: the total stays the figure, the page is a slice of it.
    const funnel = await funnelReport(db.pool, PORTAL_ID, DEFAULT_DEFINITIONS, 'contacts', {});
    const first = funnel.overall[0]!;
    const page = (await (
      await browser.get(api(`/funnel/records?object=contacts&stage=${first.stage}&limit=5&offset=5`))
    ).json()) as Records;
    expect(page.data).toMatchObject({ total: first.entered, offset: 5, limit: 5 });
    expect(page.data.records).toHaveLength(Math.min(5, Math.max(0, first.entered - 5)));
    expect(page.data.records[0]!.url).toMatch(new RegExp(`/record/0-1/${page.data.records[0]!.id}$`));

    // A sum drills to records adding up to it.
    const spend = await spendEfficiencyReport(db.pool, PORTAL_ID, 'linear', {});
    const channel = spend.channels.find((c) => c.pipelineCents > 0)!;
    const credits = (await (
      await browser.get(api(`/spend-efficiency/records?model=linear&measure=pipeline&creditChannel=${channel.channel}`))
    ).json()) as Records;
    expect(credits.data.sum).toEqual({ column: 'credit_cents', value: channel.pipelineCents });

    // The KPIs: portal-wide, so no filters; a share to its base.
    const kpi = await browser.get(api('/kpis/records?kpi=completeness&key=deal&measure=base'));
    expect(kpi.status).toBe(200);
    expect(((await kpi.json()) as Records).data.records.every((r) => r.objectType === 'deals')).toBe(true);
    expect((await browser.get(api('/kpis/records?kpi=completeness&ownerId=501'))).status).toBe(400);

    // CSV: every record, the link in each row, and when the data was refreshed in a header.
    const csv = await browser.get(api(`/win-rate/records?leadChannel=${row.leadChannel}&outcome=won&format=csv`));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('x-report-refreshed-at')).toBe(won.data.refreshedAt);
    const rows = parse(await csv.text()) as string[][];
    expect(rows[0]).toEqual(['object_type', 'id', 'hubspot_url', ...won.data.columns]);
    expect(rows.slice(1).map((r) => r[2])).toEqual(won.data.records.map((r) => r.url));

    // Machines read them with the operator token too.
    const operator = await fetch(api(`/win-rate/records?outcome=lost`), {
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    });
    expect(operator.status).toBe(200);
    expect(((await operator.json()) as Records).data.total).toBe(win.overall.lost);
  });

  it('says when the data was refreshed on CSV answers too', async () => {
    const response = await browser.get(api('/funnel?format=csv'));
    expect(response.headers.get('x-report-refreshed-at')).toBe(
      (await lastReportingRefresh(db.pool, PORTAL_ID))!.refreshedAt.toISOString(),
    );
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
      ['/win-rate/records?outcome=tied', /outcome/],
      ['/win-rate/records?stage=proposal', /unknown query parameter stage/],
      ['/delivery-by-channel/records', /measure/],
      ['/funnel/records?stage=proposal&cohort=2026-13', /cohort/],
      ['/funnel/records?stage=proposal&limit=0', /limit/],
      ['/win-rate?outcome=won', /unknown query parameter outcome/],
      ['/funnel/records?stage=propsal', /stage: "propsal" is not a stage of the deals funnel/],
      ['/kpis/records?kpi=completeness&key=lead', /key: completeness needs key=one of/],
      ['/kpis/records?kpi=sla_compliance&key=nope', /key: sla_compliance needs key=an SLA/],
    ];
    for (const [path, message] of cases) {
      const response = await browser.get(api(path));
      expect(response.status, path).toBe(400);
      const body = (await response.json()) as { ok: false; error: { message: string } };
      expect(body.error.message, path).toMatch(message);
    }
    const unknown = await browser.get(api('/pipeline-velocity'));
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

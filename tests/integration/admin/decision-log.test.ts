import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionKpis } from '../../../server/decisions/decision-kpis.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { PORTAL_ID, signedInAdmin, type AdminApp } from './helpers/admin-portal.ts';
import type { CookieClient } from './helpers/browser-client.ts';

/**
 * The decision log on the admin page: actions logged and closed through the page's endpoints (the
 * decision log's own use cases do the checking), shown on the page with Action Rate and Decision SLA.
 */
const db = useTestDatabase();
let admin: AdminApp;
let browser: CookieClient;
let csrf: string;
const page = () => `${admin.app.url}/admin/portals/${PORTAL_ID}`;
const post = (path: string, body: unknown) => browser.postJson(`${page()}${path}`, body, { 'x-csrf-token': csrf });

beforeAll(async () => {
  ({ admin, browser, csrf } = await signedInAdmin(db.pool, db.url));
});
afterAll(async () => {
  await admin?.close();
});

describe('the decision log on the admin page', () => {
  it('logs an action, refuses a bad one saying where, and closes it only with an outcome', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const bad = await post('/decisions', {
      topic: '',
      subject: { kind: 'finding', key: 'x' },
      owner: 'ana',
      dueOn: 'soon',
    });
    expect(bad.status).toBe(400);
    const problems = ((await bad.json()) as { error: { problems: { path: string }[] } }).error.problems.map(
      (p) => p.path,
    );
    expect(problems).toEqual(expect.arrayContaining(['topic', 'dueOn']));

    const created = await post('/decisions', {
      topic: 'Make amount required earlier',
      subject: { kind: 'finding', key: 'missing_field:amount' },
      owner: 'ana.ruiz@example.com',
      dueOn: today,
    });
    expect(created.status).toBe(201);
    const { data } = (await created.json()) as { data: { id: number; status: string } };
    expect(data.status).toBe('open');

    const unexplained = await post(`/decisions/${data.id}`, { status: 'done' });
    expect(unexplained.status).toBe(400);
    expect(await unexplained.json()).toMatchObject({ ok: false, error: { field: 'outcome' } });
    const closed = await post(`/decisions/${data.id}`, { status: 'done', outcome: 'Required from discovery on' });
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({
      ok: true,
      data: { status: 'done', outcome: 'Required from discovery on' },
    });
    expect((await post('/decisions/999999', { status: 'open' })).status).toBe(404);
    const forged = await browser.postJson(`${page()}/decisions`, { topic: 'x' }, { 'x-csrf-token': 'nope' });
    expect(forged.status).toBe(403);
  });

  it('the page shows the log and its KPIs as the decision log computes them', async () => {
    const html = await (await browser.get(`${page()}?from=2026-01-01&to=2030-12-31`)).text();
    expect(html).toMatch(/<tr data-decision="\d+">[\s\S]*Make amount required earlier[\s\S]*missing_field:amount/);
    const kpis = await decisionKpis(
      db.pool,
      PORTAL_ID,
      new Date('2026-01-01T00:00:00Z'),
      new Date('2031-01-01T00:00:00Z'),
      new Date(),
    );
    expect(kpis.decisionSla.due).toBeGreaterThan(0);
    const sla = kpis.decisionSla.rate === null ? '–' : `${(kpis.decisionSla.rate * 100).toFixed(1)}%`;
    const section = html.slice(html.indexOf('id="decision-kpis"'));
    expect(section).toMatch(
      new RegExp(`Decision SLA\\s+<strong>${sla.replace('.', '\\.')}</strong> \\(${kpis.decisionSla.metOnTime} of`),
    );
  });
});

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFindings } from '../../server/db/repositories/findings.ts';
import { useTestDatabase } from '../helpers/database.ts';
import {
  ADMIN,
  PORTAL_ID,
  prepareDemoPortal,
  requestEntryLink,
  startAdminApp,
  type AdminApp,
} from '../integration/admin/helpers/admin-portal.ts';

/**
 * The admin page in a real browser: Debian's Chromium, headless, driven by playwright-core. The page
 * loads with its charts; a figure and a bar open the list of their records (as many as the figure,
 * each linked into HubSpot); the issue log narrows by owner and code; an edit of a required field goes
 * through the editor (diff shown, then saved) and becomes definitions version 2 with the re-evaluation
 * queued; a visitor without a session gets nothing. Screenshots are kept in tests/artifacts/browser/
 * (git-ignored).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve('tests/artifacts/browser');
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const db = useTestDatabase();
let admin: AdminApp;
let context: BrowserContext;
let profile: string;
/** Every request the browser made that left this machine's test servers (there must be none). */
const external: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await prepareDemoPortal(db.pool);
  admin = await startAdminApp(db.url);
  profile = mkdtempSync(path.join(tmpdir(), 'closed-loop-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  context.on('request', (request) => {
    if (!request.url().startsWith('http://127.0.0.1:') && !request.url().startsWith('data:'))
      external.push(request.url());
  });
});
afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await admin?.close();
});

async function enter(): Promise<Page> {
  const link = await requestEntryLink(admin.app, { portalId: PORTAL_ID, ...ADMIN });
  expect(link.json.ok).toBe(true);
  const page = await context.newPage();
  const response = await page.goto(link.json.data!.url);
  expect(response?.status()).toBe(200);
  expect(page.url()).toBe(`${admin.app.url}/admin/portals/${PORTAL_ID}`);
  return page;
}

/** The values the bars of one chart carry (`data-value`), as numbers. */
async function barValues(page: Page, chart: string): Promise<number[]> {
  return page.$$eval(`svg#${chart} g.bar`, (bars) =>
    bars
      .map((b) => b.getAttribute('data-value'))
      .filter((v): v is string => v !== null && v !== '')
      .map(Number),
  );
}

describe('the admin page in Chromium', () => {
  it('loads and renders its charts with data', async () => {
    const page = await enter();
    await expect(page.title()).resolves.toContain(`Portal ${PORTAL_ID}`);
    for (const chart of [
      'chart-kpis',
      'chart-funnel',
      'chart-velocity',
      'chart-win-rate',
      'chart-pipeline-per-dollar',
      'chart-cac',
      'chart-delivery',
    ]) {
      const svg = page.locator(`svg#${chart}`);
      await expect(svg.isVisible(), chart).resolves.toBe(true);
      const values = await barValues(page, chart);
      expect(values.length, chart).toBeGreaterThan(0);
      expect(
        values.some((v) => v > 0),
        chart,
      ).toBe(true);
      const widths = await page.$$eval(`svg#${chart} rect`, (rects) =>
        rects.map((r) => Number(r.getAttribute('width'))),
      );
      expect(Math.max(...widths), chart).toBeGreaterThan(0);
    }
    // The funnel's first bar is its largest stage count, the way the table shows it.
    const funnel = await barValues(page, 'chart-funnel');
    expect(funnel[0]).toBe(Math.max(...funnel));
    await expect(page.locator('#last-refreshed time').count()).resolves.toBe(1);
    await page.locator('#dashboards').screenshot({ path: path.join(ARTIFACTS, 'dashboards.png') });
    expect(external).toEqual([]);
    await page.close();
  });

  it('a figure opens the list of its records, as many as it counts, each linked into HubSpot', async () => {
    const page = await enter();
    // A count in the win-rate table: the deals won through one channel.
    const figure = page.locator('#win-rate-table a.drill').first();
    const count = Number(await figure.textContent());
    expect(count).toBeGreaterThan(0);
    await Promise.all([page.waitForURL(/\/records\/win-rate\?/), figure.click()]);
    await expect(page.locator('#drill-total').textContent()).resolves.toBe(String(count));
    const links = await page.$$eval('#drill-records tbody tr td:first-child a', (as) =>
      as.map((a) => a.getAttribute('href')),
    );
    expect(links).toHaveLength(count);
    for (const href of links)
      expect(href).toMatch(new RegExp(`^https://app\\.hubspot\\.com/contacts/${PORTAL_ID}/record/0-3/\\d+$`));
    await expect(page.locator('#last-refreshed time').count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'drill-down.png'), fullPage: true });

    // Back to the dashboards, then a bar of the funnel: the records that entered its stage.
    await Promise.all([page.waitForURL(/\/admin\/portals\/\d+\?/), page.locator('#back').click()]);
    const bar = page.locator('svg#chart-funnel g.bar').first();
    const entered = Number(await bar.getAttribute('data-value'));
    await Promise.all([page.waitForURL(/\/records\/funnel\?/), bar.locator('a').click()]);
    await expect(page.locator('#drill-total').textContent()).resolves.toBe(String(entered));
    await expect(page.locator('#drill-records tbody tr').count()).resolves.toBe(Math.min(entered, 500));
    expect(external).toEqual([]);
    await page.close();
  });

  it('the issue log narrows to one owner and one code', async () => {
    const page = await enter();
    const all = await listFindings(db.pool, PORTAL_ID, { open: true });
    const owner = all.find((f) => f.ownerEmail !== null)!.ownerEmail!;
    const code =
      all.find((f) => f.ownerEmail === owner && f.code.startsWith('missing_field:'))?.code ?? 'missing_field';
    const expected = all.filter((f) => f.ownerEmail === owner && (f.code === code || f.code.startsWith(`${code}:`)));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    await page.locator('#issue-filters select[name="issueOwner"]').selectOption(owner);
    await page.locator('#issue-filters input[name="issueCode"]').fill(code);
    await Promise.all([page.waitForURL(/issueOwner=/), page.locator('#issue-filters button[type="submit"]').click()]);
    expect(new URL(page.url()).searchParams.get('issueOwner')).toBe(owner);
    expect(new URL(page.url()).searchParams.get('issueCode')).toBe(code);
    const rows = await page.$$eval('#issue-log tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-finding')));
    expect(rows.sort()).toEqual(expected.map((f) => `${f.objectType} ${f.objectId}|${f.code}`).sort());
    const owners = await page.$$eval('#issue-log tbody tr td:nth-child(5)', (tds) => tds.map((td) => td.textContent));
    expect(new Set(owners)).toEqual(new Set([owner]));
    await page.locator('#issues').screenshot({ path: path.join(ARTIFACTS, 'issue-log-filtered.png') });
    await page.close();
  });

  it('an edit of a required field shows the diff, saves as version 2 and queues the re-evaluation', async () => {
    const page = await enter();
    const editor = page.locator('#definitions-text');
    const text = await editor.inputValue();
    const edited = text.replace(
      /(- object: deal\n\s+stage: )proposal(\n\s+applies: from\n\s+field: clr_sla_scope)/,
      '$1contract$2',
    );
    expect(edited).not.toBe(text);

    // A broken draft first: the error shows inline with its path, and saving stays off.
    await editor.fill(edited.replace('rule: positive_number', 'rule: sometimes'));
    await page.locator('#definitions-errors li').first().waitFor();
    await expect(page.locator('#definitions-errors').textContent()).resolves.toMatch(/requiredFields\[\d+\]\.rule/);
    await expect(page.locator('#definitions-save').isDisabled()).resolves.toBe(true);

    await editor.fill(edited);
    await page.locator('#definitions-diff table.changes').waitFor();
    const diff = await page.locator('#definitions-diff').textContent();
    expect(diff).toContain('requiredFields[deal/contract/clr_sla_scope]');
    expect(diff).toContain('requiredFields[deal/proposal/clr_sla_scope]');
    await expect(page.locator('#definitions-errors li').count()).resolves.toBe(0);
    await page.locator('#definitions-editor').screenshot({ path: path.join(ARTIFACTS, 'definitions-diff.png') });
    expect(
      (await db.pool.query(`SELECT 1 FROM definitions_versions WHERE portal_id = $1 AND version = 2`, [PORTAL_ID]))
        .rowCount,
    ).toBe(0);

    await page.locator('#definitions-reason').fill('SLA scope is agreed at contract');
    await Promise.all([page.waitForURL(/\?saved=2#definitions$/), page.locator('#definitions-save').click()]);
    await expect(page.locator('#saved-notice').textContent()).resolves.toContain('version 2');
    await expect(page.locator('#current-version').textContent()).resolves.toBe('2');
    await expect(page.locator('#change-log tbody tr').first().getAttribute('data-version')).resolves.toBe('2');
    await page.locator('#definitions').screenshot({ path: path.join(ARTIFACTS, 'definitions-saved.png') });

    const stored = await db.pool.query<{ version: number; author: string; reason: string }>(
      `SELECT version, author, reason FROM definitions_versions WHERE portal_id = $1 ORDER BY version`,
      [PORTAL_ID],
    );
    expect(stored.rows.map((r) => r.version)).toEqual([1, 2]);
    expect(stored.rows[1]).toMatchObject({ author: ADMIN.userEmail, reason: 'SLA scope is agreed at contract' });
    const queued = await db.pool.query<{ name: string }>(
      `SELECT name FROM job_intents WHERE portal_id = $1 AND status = 'pending' AND id LIKE '%definitions-v2%' ORDER BY name`,
      [PORTAL_ID],
    );
    expect(queued.rows.map((r) => r.name)).toEqual(['attribution.compute', 'hygiene.evaluate']);
    const jobs = await admin.app.context.queues.get('hygiene').getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.some((job) => (job.data as { portalId?: number }).portalId === PORTAL_ID)).toBe(true);
    await page.close();
  });

  it('a visitor without a session gets no data', async () => {
    const visitor = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
    try {
      const page = await visitor.newPage();
      const response = await page.goto(`${admin.app.url}/admin/portals/${PORTAL_ID}`);
      expect(response?.status()).toBe(401);
      await expect(page.locator('svg').count()).resolves.toBe(0);
      await expect(page.locator('#definitions-text').count()).resolves.toBe(0);
      await expect(page.locator('a[href="/admin/login"]').count()).resolves.toBe(1);
      await page.screenshot({ path: path.join(ARTIFACTS, 'unauthenticated.png') });
      const api = await page.goto(`${admin.app.url}/api/portals/${PORTAL_ID}/reports/win-rate`);
      expect(api?.status()).toBe(401);
    } finally {
      await visitor.close();
    }
  });
});

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * loads with its charts, an edit of a required field goes through the editor (diff shown, then saved)
 * and becomes definitions version 2 with the re-evaluation queued; a visitor without a session gets
 * nothing. Screenshots are kept in tests/artifacts/browser/ (git-ignored).
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
      'chart-win-rate',
      'chart-pipeline-per-dollar',
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
    // A win-rate bar opens the list of its deals, each a link into HubSpot.
    await page.locator('svg#chart-win-rate a').first().click();
    const drill = page.locator('details.drill[open]');
    await expect(drill.count()).resolves.toBe(1);
    const href = await drill.locator('a').first().getAttribute('href');
    expect(href).toMatch(new RegExp(`^https://app\\.hubspot\\.com/contacts/${PORTAL_ID}/record/0-3/\\d+$`));
    await page.locator('#dashboards').screenshot({ path: path.join(ARTIFACTS, 'dashboards.png') });
    expect(external).toEqual([]);
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

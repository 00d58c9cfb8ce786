import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { exportDefinitions } from '../../../server/domain/policy/serialize.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { ADMIN, PORTAL_ID, signedInAdmin, type AdminApp } from './helpers/admin-portal.ts';
import type { CookieClient } from './helpers/browser-client.ts';

/**
 * The editor's endpoints as the page's script calls them: a draft is checked (errors as path and
 * message) and diffed against the current version without storing anything; a save stores the next
 * version with its author and reason and queues the re-evaluation, unless someone saved in between.
 */
const db = useTestDatabase();
let admin: AdminApp;
let browser: CookieClient;
let csrf: string;
const base = () => `${admin.app.url}/admin/portals/${PORTAL_ID}/definitions`;
const post = (path: string, body: unknown) => browser.postJson(`${base()}${path}`, body, { 'x-csrf-token': csrf });

beforeAll(async () => {
  ({ admin, browser, csrf } = await signedInAdmin(db.pool, db.url));
});
afterAll(async () => {
  await admin?.close();
});

const yaml = exportDefinitions(DEFAULT_DEFINITIONS, 'yaml');
// The deal's SLA scope becomes required from contract rather than from proposal.
const edited = yaml.replace(
  /(- object: deal\n\s+stage: )proposal(\n\s+applies: from\n\s+field: clr_sla_scope)/,
  '$1contract$2',
);

const latestVersion = async () =>
  (
    await db.pool.query<{ v: number }>(`SELECT max(version)::int AS v FROM definitions_versions WHERE portal_id = $1`, [
      PORTAL_ID,
    ])
  ).rows[0]!.v;

describe('the definitions editor', () => {
  it('shows every error of a draft as path and message, storing nothing', async () => {
    expect(edited).not.toBe(yaml);
    const broken = yaml
      .replace('rule: positive_number', 'rule: sometimes')
      .replace('lookbackDays: 365', 'lookbackDays: -3');
    const response = await post('/preview', { text: broken, format: 'yaml' });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { ok: false; errors: { path: string; message: string; line?: number }[] };
    expect(body.ok).toBe(false);
    const paths = body.errors.map((e) => e.path);
    expect(paths.some((p) => /^requiredFields\[\d+\]\.rule$/.test(p))).toBe(true);
    expect(paths).toContain('attribution.lookbackDays');
    expect(body.errors.every((e) => e.message.length > 0 && typeof e.line === 'number')).toBe(true);

    const syntax = await post('/preview', { text: 'stages: [unclosed', format: 'yaml' });
    expect(syntax.status).toBe(422);
    expect(((await syntax.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/YAML/);
    expect(await latestVersion()).toBe(1);
  });

  it('shows the diff against the current version before saving', async () => {
    const response = await post('/preview', { text: edited, format: 'yaml' });
    expect(response.status).toBe(200);
    const preview = (await response.json()) as {
      ok: true;
      baseVersion: number;
      changes: { path: string; change: string }[];
      summary: string[];
    };
    expect(preview.baseVersion).toBe(1);
    expect(preview.changes.map((c) => `${c.change} ${c.path}`).sort()).toEqual([
      'added requiredFields[deal/contract/clr_sla_scope]',
      'removed requiredFields[deal/proposal/clr_sla_scope]',
    ]);
    expect(preview.summary.join(' ')).toContain('clr_sla_scope');
    const unchanged = await post('/preview', { text: yaml, format: 'yaml' });
    expect(((await unchanged.json()) as { changes: unknown[] }).changes).toEqual([]);
    expect(await latestVersion()).toBe(1);
  });

  it('refuses a request it cannot read with a 400 naming the field', async () => {
    const missing = await post('', { text: edited, format: 'yaml', baseVersion: 1 });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ ok: false, error: { field: 'reason' } });
    const format = await post('/preview', { text: edited, format: 'toml' });
    expect(format.status).toBe(400);
    expect(await format.json()).toMatchObject({ ok: false, error: { field: 'format' } });
    const notJson = await browser.request(`${base()}/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: '{"text":',
    });
    expect(notJson.status).toBe(400);
  });

  it('saves a new version with author, reason and diff, and queues the re-evaluation', async () => {
    const response = await post('', {
      text: edited,
      format: 'yaml',
      reason: 'SLA scope is agreed at contract',
      baseVersion: 1,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, changed: true, version: 2 });
    const { rows } = await db.pool.query<{ author: string; reason: string; diff: unknown[] }>(
      `SELECT author, reason, diff FROM definitions_versions WHERE portal_id = $1 AND version = 2`,
      [PORTAL_ID],
    );
    expect(rows[0]).toMatchObject({ author: ADMIN.userEmail, reason: 'SLA scope is agreed at contract' });
    expect(rows[0]!.diff).toHaveLength(2);
    const intents = await db.pool.query<{ id: string; name: string }>(
      `SELECT id, name FROM job_intents WHERE portal_id = $1 AND status = 'pending' ORDER BY name`,
      [PORTAL_ID],
    );
    expect(intents.rows.map((r) => r.name)).toEqual(['attribution.compute', 'hygiene.evaluate']);
    expect(intents.rows.every((r) => r.id.includes('definitions-v2'))).toBe(true);
    const job = await admin.app.context.queues
      .get('hygiene')
      .getJob(intents.rows.find((r) => r.name === 'hygiene.evaluate')!.id);
    expect(job?.data).toMatchObject({ portalId: PORTAL_ID });
  });

  it('refuses a save over a version saved since the diff was shown', async () => {
    const stale = await post('', { text: yaml, format: 'yaml', reason: 'back to the default', baseVersion: 1 });
    expect(stale.status).toBe(409);
    expect(await latestVersion()).toBe(2);
  });

  it('the page shows the change log with the new version', async () => {
    const page = await (await browser.get(`${admin.app.url}/admin/portals/${PORTAL_ID}?saved=2`)).text();
    expect(page).toContain('Saved definitions version 2');
    expect(page).toMatch(/<tr data-version="2">[\s\S]*SLA scope is agreed at contract/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsSummary } from '../../../server/admin/settings-summary-contract.ts';
import { appendDefinitionsVersion } from '../../../server/db/repositories/definitions.ts';
import {
  addSyncRunRecords,
  finishSyncRunAttempt,
  insertSyncRun,
  type SyncKind,
} from '../../../server/db/repositories/sync-runs.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { buildWeeklyDigest } from '../../../server/loops/build-weekly-digest.ts';
import { remindDefinitionsReview } from '../../../server/loops/remind-definitions-review.ts';
import { takeMonthlySnapshot } from '../../../server/loops/take-monthly-snapshot.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import {
  ADMIN,
  fixture,
  PORTAL_ID,
  prepareDemoPortal,
  prepareOtherPortal,
  signedSettingsRequest,
  startAdminApp,
  type AdminApp,
} from './helpers/admin-portal.ts';

/**
 * `POST /admin/summary`, the settings component's status: asked the way HubSpot's proxy asks (signed
 * v3), it answers an admin with the figures in the database (sync runs, the loops' runs, open findings,
 * the current definitions), refuses like `/admin/link` otherwise, and never mixes portals.
 */
const db = useTestDatabase();
let admin: AdminApp;
const OTHER_PORTAL = 9_100_002;
const OTHER_ADMIN = { userId: 8_002, userEmail: 'other-admin@example.com' };
const NOW = new Date(fixture.now);
/** A Monday 8 days after the evaluation: the findings it opened are a week old, so the digest plans tasks. */
const DIGEST_AT = new Date('2026-11-09T07:00:00.000Z');

type Json = { ok: boolean; data?: SettingsSummary; error?: { code: string; message: string } };
const summary = (body: unknown, options: Parameters<typeof signedSettingsRequest>[3] = {}) =>
  signedSettingsRequest<SettingsSummary>(admin.app, '/admin/summary', body, options) as Promise<{
    status: number;
    json: Json;
  }>;
const demoAdmin = { portalId: PORTAL_ID, ...ADMIN };

/** A sync run as the sync records one: started, records committed, the attempt ended. */
async function syncRun(
  portalId: number,
  kind: SyncKind,
  end: { records: number; status: 'running' | 'succeeded' | 'failed'; errors?: number; errorMessage?: string },
) {
  const run = await insertSyncRun(db.pool, portalId, kind);
  await addSyncRunRecords(db.pool, portalId, run.id, end.records);
  if (end.status !== 'running')
    await finishSyncRunAttempt(db.pool, portalId, run.id, {
      status: end.status,
      calls: { apiCalls: 10, rateLimited: 0, errors: end.errors ?? 0 },
      errorMessage: end.errorMessage ?? null,
    });
  return (
    await db.pool.query<{ startedAt: Date; finishedAt: Date | null }>(
      `SELECT started_at AS "startedAt", finished_at AS "finishedAt" FROM sync_runs WHERE id = $1`,
      [run.id],
    )
  ).rows[0]!;
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

beforeAll(async () => {
  await prepareDemoPortal(db.pool);
  await prepareOtherPortal(db.pool, OTHER_PORTAL, OTHER_ADMIN);
  admin = await startAdminApp(db.url);
});
afterAll(async () => {
  await admin?.close();
});

describe('the settings summary for an admin', () => {
  it('answers the sync runs, the loops’ last runs, the open findings and the policy from the database', async () => {
    const full = await syncRun(PORTAL_ID, 'full', { records: 1_234, status: 'succeeded', errors: 2 });
    const okIncremental = await syncRun(PORTAL_ID, 'incremental', { records: 15, status: 'succeeded' });
    const failedIncremental = await syncRun(PORTAL_ID, 'incremental', {
      records: 3,
      status: 'failed',
      errors: 4,
      errorMessage: 'HubSpot answered 502 three times',
    });
    const digest = await buildWeeklyDigest(db.pool, PORTAL_ID, DIGEST_AT);
    await takeMonthlySnapshot(db.pool, PORTAL_ID, NOW);
    const review = await remindDefinitionsReview(db.pool, PORTAL_ID, NOW);
    // Version 2 by another admin: the first model disabled, so the default model is the next one.
    const [first, ...rest] = DEFAULT_DEFINITIONS.attribution.models;
    await appendDefinitionsVersion(db.pool, PORTAL_ID, {
      document: {
        ...DEFAULT_DEFINITIONS,
        attribution: { ...DEFAULT_DEFINITIONS.attribution, models: [{ ...first!, enabled: false }, ...rest] },
      },
      author: 'ana@example.com',
      reason: 'First touch is not used here',
      diff: [],
    });

    const answer = await summary(demoAdmin);
    expect(answer.status).toBe(200);
    expect(answer.json.ok, JSON.stringify(answer.json)).toBe(true);
    const data = SettingsSummary.parse(answer.json.data);

    expect(data.sync).toEqual({
      running: false,
      lastFull: {
        kind: 'full',
        status: 'succeeded',
        startedAt: iso(full.startedAt),
        finishedAt: iso(full.finishedAt),
        records: 1_234,
        errors: 2,
        errorMessage: null,
      },
      lastIncremental: {
        kind: 'incremental',
        status: 'failed',
        startedAt: iso(failedIncremental.startedAt),
        finishedAt: iso(failedIncremental.finishedAt),
        records: 3,
        errors: 4,
        errorMessage: 'HubSpot answered 502 three times',
      },
      lastSucceededAt: { full: iso(full.finishedAt), incremental: iso(okIncremental.finishedAt) },
    });

    const loops = Object.fromEntries(data.loops.map((loop) => [loop.loop, loop]));
    expect(data.loops.map((loop) => loop.loop)).toEqual([
      'incremental_sync',
      'hygiene_evaluation',
      'weekly_digest',
      'monthly_snapshot',
      'quarterly_review',
    ]);
    expect(loops.incremental_sync).toMatchObject({
      schedule: 'Every 15 minutes',
      lastRunAt: iso(failedIncremental.finishedAt),
      status: 'failed',
      detail: 'HubSpot answered 502 three times',
    });
    // The demo portal's whole-portal pass ran at the fixture's time.
    expect(loops.hygiene_evaluation).toMatchObject({
      schedule: 'Daily at 03:15 UTC',
      lastRunAt: iso(NOW),
      status: 'succeeded',
      detail: 'Every record evaluated; changed records are evaluated as they change in between.',
    });
    const tasks = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM digest_tasks WHERE portal_id = $1 AND week = $2 AND status = 'pending'`,
      [PORTAL_ID, digest.week],
    );
    expect(tasks.rows[0]!.n).toBe(digest.tasks);
    expect(digest.tasks).toBeGreaterThan(0);
    expect(loops.weekly_digest).toEqual({
      loop: 'weekly_digest',
      label: 'Weekly digest',
      schedule: 'Mondays at 07:00 UTC',
      lastRunAt: DIGEST_AT.toISOString(),
      // Planned, not yet delivered (no delivery ran).
      status: 'running',
      period: digest.week,
      detail: `0 tasks created, ${digest.tasks} still to deliver.`,
    });
    expect(loops.monthly_snapshot).toMatchObject({
      schedule: 'The 1st of each month at 04:00 UTC',
      lastRunAt: NOW.toISOString(),
      status: 'succeeded',
      period: '2026-11',
    });
    expect(loops.quarterly_review).toMatchObject({
      schedule: 'The first day of each quarter at 08:00 UTC',
      lastRunAt: iso(review.decision.createdAt),
      status: 'succeeded',
      period: '2026-Q4',
      detail: `Review action open, due ${review.decision.dueOn}.`,
    });

    const open = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM findings WHERE portal_id = $1 AND resolved_at IS NULL`,
      [PORTAL_ID],
    );
    expect(open.rows[0]!.n).toBeGreaterThan(0);
    expect(data.openFindings).toBe(open.rows[0]!.n);

    const stamp = await db.pool.query<{ createdAt: Date }>(
      `SELECT created_at AS "createdAt" FROM definitions_versions WHERE portal_id = $1 AND version = 2`,
      [PORTAL_ID],
    );
    const models = DEFAULT_DEFINITIONS.attribution.models;
    expect(data.policy).toEqual({
      version: 2,
      changedBy: 'ana@example.com',
      changedAt: iso(stamp.rows[0]!.createdAt),
      reason: 'First touch is not used here',
      stages: {
        contact: DEFAULT_DEFINITIONS.stages.contact.stages.length,
        deal: DEFAULT_DEFINITIONS.stages.deal.stages.length,
        ticket: DEFAULT_DEFINITIONS.stages.ticket.stages.length,
      },
      requiredFields: DEFAULT_DEFINITIONS.requiredFields.length,
      picklists: DEFAULT_DEFINITIONS.picklists.length,
      slas: DEFAULT_DEFINITIONS.slas.length,
      attribution: {
        defaultModel: { id: rest[0]!.id, label: rest[0]!.label },
        enabledModels: models.filter((m) => m.enabled).length - 1,
        models: models.length,
      },
    });
  });

  it('says when a sync run is running now', async () => {
    const running = await syncRun(PORTAL_ID, 'incremental', { records: 7, status: 'running' });
    const data = SettingsSummary.parse((await summary(demoAdmin)).json.data);
    expect(data.sync.running).toBe(true);
    expect(data.sync.lastIncremental).toMatchObject({
      status: 'running',
      startedAt: iso(running.startedAt),
      finishedAt: null,
      records: 7,
    });
    expect(data.loops.find((l) => l.loop === 'incremental_sync')).toMatchObject({
      status: 'running',
      lastRunAt: iso(running.startedAt),
      detail: '7 records',
    });
  });
});

describe('the settings summary refuses', () => {
  it('a request HubSpot did not sign (forged, unsigned or stale): 401 and no data', async () => {
    for (const options of [
      { secret: 'not-the-client-secret-00000000' },
      { unsigned: true },
      { timestamp: Date.now() - 6 * 60_000 },
    ]) {
      const answer = await summary(demoAdmin, options);
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({
        ok: false,
        error: { code: 'unauthorized', message: expect.stringMatching(/^invalid HubSpot signature/) },
      });
    }
  });

  it('a user who is not an admin, with the link’s refusal', async () => {
    const answer = await summary({ portalId: PORTAL_ID, userId: 5_555, userEmail: 'rep@example.com' });
    const link = await signedSettingsRequest(admin.app, '/admin/link', {
      portalId: PORTAL_ID,
      userId: 5_555,
      userEmail: 'rep@example.com',
    });
    expect(answer).toEqual({
      status: 200,
      json: { ok: false, error: { code: 'forbidden', message: expect.stringContaining('Only admins') } },
    });
    expect(answer.json).toEqual(link.json);
  });

  it('a portal where Closed Loop is not installed, and a body that is not the claims', async () => {
    expect((await summary({ portalId: 123_456, ...ADMIN })).json).toEqual({
      ok: false,
      error: { code: 'not_found', message: expect.stringContaining('not installed') },
    });
    expect((await summary({ portalId: 'x', userId: 1 })).json).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect((await summary({ ...demoAdmin, extra: true })).json).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('a body naming another portal than the one HubSpot appended to the URL', async () => {
    const answer = await summary({ portalId: OTHER_PORTAL, ...OTHER_ADMIN }, { query: `portalId=${PORTAL_ID}` });
    expect(answer.json).toEqual({ ok: false, error: { code: 'not_found', message: expect.any(String) } });
  });
});

describe('portals apart', () => {
  it('an admin of another portal gets only that portal’s figures, and nothing of the demo portal', async () => {
    const otherFull = await syncRun(OTHER_PORTAL, 'full', {
      records: 424_242,
      status: 'failed',
      errors: 1,
      errorMessage: 'other portal token revoked',
    });
    // The other portal's admin asking about the demo portal is not its admin there.
    expect((await summary({ portalId: PORTAL_ID, ...OTHER_ADMIN })).json.error?.code).toBe('forbidden');

    const other = SettingsSummary.parse((await summary({ portalId: OTHER_PORTAL, ...OTHER_ADMIN })).json.data);
    expect(other.sync.lastFull).toMatchObject({ records: 424_242, startedAt: iso(otherFull.startedAt) });
    expect(other.sync.lastIncremental).toBeNull();
    expect(other.openFindings).toBe(0);
    expect(other.policy).toMatchObject({ version: 1, changedBy: 'Closed Loop' });
    expect(other.loops.filter((loop) => loop.lastRunAt !== null).map((loop) => loop.loop)).toEqual([]);

    const demo = await summary(demoAdmin);
    const text = JSON.stringify(demo.json);
    expect(text).not.toContain('424242');
    expect(text).not.toContain('other portal token revoked');
    expect(SettingsSummary.parse(demo.json.data).sync.lastFull?.records).toBe(1_234);
  });
});

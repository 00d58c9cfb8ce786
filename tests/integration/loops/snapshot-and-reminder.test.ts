import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDecision } from '../../../server/decisions/create-decision.ts';
import { updateDecision } from '../../../server/decisions/update-decision.ts';
import { ensureFirstDefinitions } from '../../../server/db/repositories/definitions.ts';
import { listKpiSnapshots } from '../../../server/db/repositories/kpi-snapshots.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { evaluatePortalHygiene } from '../../../server/hygiene/evaluate-portal.ts';
import { buildWeeklyDigest } from '../../../server/loops/build-weekly-digest.ts';
import { remindDefinitionsReview, REVIEW_TOPIC } from '../../../server/loops/remind-definitions-review.ts';
import { takeMonthlySnapshot } from '../../../server/loops/take-monthly-snapshot.ts';
import { kpisReport } from '../../../server/reporting/reports/kpis.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { seedMirror, type MirrorFixture } from '../../helpers/seed-mirror.ts';

/** The monthly KPI snapshot and the quarterly review reminder: each once per period, whatever runs twice. */
const db = useTestDatabase();
const fixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as MirrorFixture & { now: string };
const portalId = fixture.portalId;
const now = new Date(fixture.now); // 2026-11-01T00:00Z

beforeAll(async () => {
  await seedMirror(db.pool, fixture);
  await db.pool.query(
    `UPDATE portals SET installed_by_user_id = 77, installed_by_email = 'admin@example.com' WHERE portal_id = $1`,
    [portalId],
  );
  await ensureFirstDefinitions(db.pool, portalId, DEFAULT_DEFINITIONS);
  await evaluatePortalHygiene(db.pool, portalId, { now: new Date(now.getTime() - 40 * 86_400_000) });
});

const count = async (table: 'kpi_snapshots' | 'decisions') =>
  Number((await db.pool.query(`SELECT count(*) AS n FROM ${table} WHERE portal_id = $1`, [portalId])).rows[0].n);

describe('the monthly KPI snapshot', () => {
  it('freezes the KPIs with last month’s decision KPIs, once per month even when runs overlap or repeat', async () => {
    // Last month (October): a digest, one action answering one of its items, one due action closed late.
    const digest = await buildWeeklyDigest(db.pool, portalId, new Date('2026-10-12T07:00:00Z'));
    expect(digest.digest.items.length).toBeGreaterThan(1);
    const answered = digest.digest.items[0]!;
    await createDecision(
      db.pool,
      portalId,
      { topic: 'Fix it', subject: answered, owner: 'ana.ruiz@example.com', dueOn: '2026-10-20' },
      new Date('2026-10-13T09:00:00Z'),
    );
    const late = await createDecision(
      db.pool,
      portalId,
      { topic: 'Other', subject: { kind: 'metric', key: 'duplicate_rate' }, owner: 'ben', dueOn: '2026-10-15' },
      new Date('2026-10-01T09:00:00Z'),
    );
    await updateDecision(
      db.pool,
      portalId,
      late.id,
      { status: 'done', outcome: 'Merged' },
      new Date('2026-10-17T00:00:00Z'),
    );

    const takenAt = new Date('2026-11-01T04:00:00Z');
    const runs = await Promise.all([
      takeMonthlySnapshot(db.pool, portalId, takenAt),
      takeMonthlySnapshot(db.pool, portalId, takenAt),
    ]);
    expect(runs.filter((r) => r.created)).toHaveLength(1);
    const again = await takeMonthlySnapshot(db.pool, portalId, new Date('2026-11-20T04:00:00Z'));
    expect(again.created).toBe(false);
    expect(await count('kpi_snapshots')).toBe(1);

    const [snapshot] = await listKpiSnapshots(db.pool, portalId);
    expect(snapshot).toMatchObject({ month: '2026-11', takenAt, definitionsVersion: 1 });
    // The same KPIs the reports compute from the same mirror at the same instant.
    expect(snapshot!.kpis).toEqual(
      JSON.parse(JSON.stringify(await kpisReport(db.pool, portalId, DEFAULT_DEFINITIONS, takenAt))),
    );
    expect(snapshot!.decisions).toEqual({
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
      actionRate: { items: digest.digest.items.length, actioned: 1, rate: expect.any(Number) },
      // The fix due on the 20th is still open and overdue; the other was closed two days late.
      decisionSla: { due: 2, metOnTime: 0, rate: 0 },
    });
    expect((snapshot!.decisions as { actionRate: { rate: number } }).actionRate.rate).toBeCloseTo(
      1 / digest.digest.items.length,
      4,
    );

    // A new month gets its own snapshot.
    expect((await takeMonthlySnapshot(db.pool, portalId, new Date('2026-12-01T04:00:00Z'))).created).toBe(true);
    expect((await listKpiSnapshots(db.pool, portalId)).map((s) => s.month)).toEqual(['2026-11', '2026-12']);
    expect((await listKpiSnapshots(db.pool, portalId, '2026-12')).map((s) => s.month)).toEqual(['2026-12']);
  });
});

describe('the quarterly review reminder', () => {
  it('adds one action per quarter, owned by the installing user and due in 14 days', async () => {
    const before = await count('decisions');
    const first = await remindDefinitionsReview(db.pool, portalId, new Date('2026-10-01T08:00:00Z'));
    expect(first.created).toBe(true);
    expect(first.decision).toMatchObject({
      topic: REVIEW_TOPIC,
      subject: { kind: 'definitions', key: 'definitions:v1' },
      owner: 'admin@example.com',
      dueOn: '2026-10-15',
      status: 'open',
      outcome: null,
      closedAt: null,
    });
    const repeats = await Promise.all([
      remindDefinitionsReview(db.pool, portalId, new Date('2026-10-01T08:00:00Z')),
      remindDefinitionsReview(db.pool, portalId, new Date('2026-12-31T23:00:00Z')),
    ]);
    expect(repeats.map((r) => [r.created, r.decision.id])).toEqual([
      [false, first.decision.id],
      [false, first.decision.id],
    ]);
    expect(await count('decisions')).toBe(before + 1);
    // Even once the reminder is done, the same quarter does not get another.
    await updateDecision(db.pool, portalId, first.decision.id, { status: 'done', outcome: 'Reviewed, no change' }, now);
    expect((await remindDefinitionsReview(db.pool, portalId, new Date('2026-11-15T08:00:00Z'))).created).toBe(false);

    // The next quarter gets its own; without an installer email the HubSpot user id names the owner.
    await db.pool.query(`UPDATE portals SET installed_by_email = NULL WHERE portal_id = $1`, [portalId]);
    const next = await remindDefinitionsReview(db.pool, portalId, new Date('2027-01-01T08:00:00Z'));
    expect(next).toMatchObject({ created: true, decision: { owner: 'hubspot-user:77', dueOn: '2027-01-15' } });
    expect(await count('decisions')).toBe(before + 2);
  });
});

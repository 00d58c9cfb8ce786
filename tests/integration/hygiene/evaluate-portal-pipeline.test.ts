import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveComputedProperties } from '../../../server/db/repositories/computed-properties.ts';
import { ensureFirstDefinitions } from '../../../server/db/repositories/definitions.ts';
import { listFindings } from '../../../server/db/repositories/findings.ts';
import { findDuplicates } from '../../../server/domain/hygiene/index.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import type { CrmObject } from '../../../server/domain/policy/index.ts';
import { evaluatePortalHygiene } from '../../../server/hygiene/evaluate-portal.ts';
import { evaluateRecords, type RecordRef } from '../../../server/hygiene/evaluate-records.ts';
import { candidatesOf, duplicateCandidatePages } from '../../../server/hygiene/load-records.ts';
import { findPortalDuplicates } from '../../../server/hygiene/portal-duplicates.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { seedMirror, type MirrorFixture } from '../../helpers/seed-mirror.ts';

/**
 * The whole-portal pass reads the next batch, evaluates this one and writes the previous one at the
 * same time. Overlapping them must change nothing it writes: the issue log and the computed values are
 * those of the plain, sequential evaluation of the same records (`evaluateRecords`, one transaction).
 */
const db = useTestDatabase();
const fixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as MirrorFixture & { now: string };
const portalId = fixture.portalId;
const now = new Date(fixture.now);
const SINGULAR = { contacts: 'contact', companies: 'company', deals: 'deal', tickets: 'ticket' } as const;
const live = Object.entries(fixture.objects).flatMap(([table, objects]) =>
  objects
    .filter((o) => o.archived !== true)
    .map((o): RecordRef => ({
      objectType: SINGULAR[table as keyof typeof SINGULAR] as CrmObject,
      objectId: Number(o.id),
    })),
);

async function issueLogAndValues() {
  const q = async (sql: string) => (await db.pool.query(sql, [portalId])).rows;
  return {
    findings: await q(`SELECT object_type, object_id, code, field, severity, owner_email, proposed_fix,
                              definitions_version, first_seen_at, last_seen_at, resolved_at
                         FROM findings WHERE portal_id = $1 ORDER BY object_type, object_id, code`),
    computed: await q(`SELECT object_type, object_id, properties, computed_at FROM computed_properties
                        WHERE portal_id = $1 AND source = 'hygiene' ORDER BY object_type, object_id`),
  };
}

async function clearResults() {
  await db.pool.query(`DELETE FROM findings WHERE portal_id = $1`, [portalId]);
  await db.pool.query(`DELETE FROM computed_properties WHERE portal_id = $1`, [portalId]);
}

beforeAll(async () => {
  await seedMirror(db.pool, fixture);
  await ensureFirstDefinitions(db.pool, portalId, DEFAULT_DEFINITIONS);
});

describe('the whole-portal pass, pipelined', () => {
  it('writes exactly what the sequential evaluation of the same records writes, whatever the batch size', async () => {
    const sequential = await evaluateRecords(db.pool, portalId, live, { now });
    const expected = await issueLogAndValues();
    expect(sequential.records).toBe(live.length);
    expect(expected.findings.length).toBeGreaterThan(20);
    expect(expected.computed).toHaveLength(live.length);

    // 1: one record a batch (the most batches in flight); 7: batches that straddle nothing in
    // particular; 1,000: the whole portal in one batch per type.
    for (const batchSize of [1, 7, 1_000]) {
      await clearResults();
      const progress = new Map<string, number>();
      const summary = await evaluatePortalHygiene(db.pool, portalId, {
        now,
        batchSize,
        onProgress: (objectType, records) => {
          expect(records).toBeGreaterThan(progress.get(objectType) ?? 0);
          progress.set(objectType, records);
        },
      });
      expect(summary.records).toBe(live.length);
      expect(summary.open).toBe(expected.findings.length);
      expect(Object.fromEntries(progress)).toEqual({
        contact: live.filter((r) => r.objectType === 'contact').length,
        company: live.filter((r) => r.objectType === 'company').length,
        deal: live.filter((r) => r.objectType === 'deal').length,
        ticket: live.filter((r) => r.objectType === 'ticket').length,
      });
      expect(await issueLogAndValues()).toEqual(expected);
    }
  });

  it('stops at a failed write: the pass rejects with its error, hands every connection back, and moves no cursor', async () => {
    // A trigger only this test's database has: it refuses the computed values of the portal's last deal,
    // so the pass fails in its last type's batches, with batches before it written and others in flight.
    // The log starts empty, so every value is inserted (a pass leaves unchanged values alone).
    await clearResults();
    await db.pool.query(`CREATE FUNCTION refuse_last_deal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.object_type = 'deals' AND NEW.object_id = (SELECT max(id) FROM deals WHERE portal_id = NEW.portal_id) THEN
          RAISE EXCEPTION 'refused: the last deal';
        END IF;
        RETURN NEW;
      END $$`);
    await db.pool.query(`CREATE TRIGGER refuse_last_deal BEFORE INSERT OR UPDATE ON computed_properties
      FOR EACH ROW EXECUTE FUNCTION refuse_last_deal()`);
    try {
      const cursor = async () =>
        (await db.pool.query(`SELECT * FROM change_cursors WHERE portal_id = $1 AND consumer = 'hygiene'`, [portalId]))
          .rows;
      const before = await cursor();
      await expect(evaluatePortalHygiene(db.pool, portalId, { now, batchSize: 3 })).rejects.toThrow(/the last deal/);
      expect(db.pool.totalCount - db.pool.idleCount).toBe(0);
      expect(db.pool.waitingCount).toBe(0);
      expect(await cursor()).toEqual(before);
    } finally {
      await db.pool.query(`DROP TRIGGER refuse_last_deal ON computed_properties`);
      await db.pool.query(`DROP FUNCTION refuse_last_deal()`);
    }
  });
});

describe('a pass over a log it wrote before', () => {
  it('rewrites only what changed, and the log shows every open finding as seen by the last pass', async () => {
    await clearResults();
    const versions = async () =>
      (
        await db.pool.query<{ v: string }>(
          `SELECT string_agg(xmin::text, ',' ORDER BY object_type, object_id, code) AS v FROM findings WHERE portal_id = $1
           UNION ALL
           SELECT string_agg(xmin::text, ',' ORDER BY object_type, object_id) FROM computed_properties
            WHERE portal_id = $1 AND source = 'hygiene'`,
          [portalId],
        )
      ).rows.map((r) => r.v);
    await evaluatePortalHygiene(db.pool, portalId, { now, batchSize: 50 });
    const written = await versions();
    const log = await issueLogAndValues();
    // The same evaluation again: nothing changed, so no row is written (or locked) again.
    await evaluatePortalHygiene(db.pool, portalId, { now, batchSize: 50 });
    expect(await versions()).toEqual(written);
    expect(await issueLogAndValues()).toEqual(log);
    // A day later, the open findings that did not change keep their rows, and were seen that day.
    const later = new Date(now.getTime() + 86_400_000);
    await evaluatePortalHygiene(db.pool, portalId, { now: later, batchSize: 50 });
    const open = await listFindings(db.pool, portalId, { open: true });
    expect(open.length).toBeGreaterThan(20);
    expect(new Set(open.map((f) => f.lastSeenAt.toISOString()))).toEqual(new Set([later.toISOString()]));
    const kept = open.filter((f) => f.firstSeenAt.getTime() === now.getTime());
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM findings WHERE portal_id = $1 AND resolved_at IS NULL AND last_seen_at = $2`,
      [portalId, now],
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(rows[0]!.n).toBeLessThanOrEqual(kept.length);
  });
});

describe('records gone since the last pass', () => {
  it('has their open findings resolved at the end of the pass, and nothing else resolved', async () => {
    await clearResults();
    await evaluatePortalHygiene(db.pool, portalId, { now, batchSize: 50 });
    const open = async () =>
      (
        await db.pool.query<{ object_type: string; object_id: number; code: string }>(
          `SELECT object_type, object_id, code FROM findings WHERE portal_id = $1 AND resolved_at IS NULL
            ORDER BY object_type, object_id, code`,
          [portalId],
        )
      ).rows;
    const before = await open();
    const gone = before.find((f) => f.object_type === 'deal')!.object_id;
    await db.pool.query(`UPDATE deals SET archived = true WHERE portal_id = $1 AND id = $2`, [portalId, gone]);
    try {
      const later = new Date(now.getTime() + 86_400_000);
      const summary = await evaluatePortalHygiene(db.pool, portalId, { now: later, batchSize: 50 });
      const resolved = await db.pool.query(
        `SELECT code FROM findings WHERE portal_id = $1 AND object_type = 'deal' AND object_id = $2
            AND resolved_at = $3`,
        [portalId, gone, later],
      );
      const goneBefore = before.filter((f) => f.object_type === 'deal' && f.object_id === gone);
      expect(resolved.rows.map((r) => r.code).sort()).toEqual(goneBefore.map((f) => f.code).sort());
      expect(summary.resolved).toBeGreaterThanOrEqual(goneBefore.length);
      // Every other record's findings are still open (a day later, the clock may have opened more).
      const after = await open();
      for (const f of before.filter((f) => !(f.object_type === 'deal' && f.object_id === gone)))
        expect(after).toContainEqual(f);
    } finally {
      await db.pool.query(`UPDATE deals SET archived = false WHERE portal_id = $1 AND id = $2`, [portalId, gone]);
    }
  });
});

describe('the duplicate candidates, in pages', () => {
  const rules = DEFAULT_DEFINITIONS.duplicates;
  const read = async (pageSize?: number) => {
    const pages = [];
    for await (const page of duplicateCandidatePages(db.pool, portalId, rules, { pageSize })) pages.push(page);
    return pages;
  };

  it('are the same in small pages as in large ones, each value with its record, in id order', async () => {
    const whole = (await read()).flatMap((page) => [...candidatesOf(page)]);
    const pages = await read(7);
    expect(pages.every((page) => page.rows.length <= 7)).toBe(true);
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.flatMap((page) => [...candidatesOf(page)])).toEqual(whole);
    // Every live contact with an email and company with a domain, and nothing else.
    const expected = (['contacts', 'companies'] as const).flatMap((table) =>
      fixture.objects[table]
        .filter((o) => o.archived !== true && (o.properties[table === 'contacts' ? 'email' : 'domain'] ?? '') !== '')
        .map((o) => `${SINGULAR[table]}:${o.id}`),
    );
    expect(whole.map((c) => `${c.objectType}:${c.id}`).sort()).toEqual(expected.sort());
    for (const rule of rules) {
      const ids = whole.filter((c) => c.objectType === rule.object).map((c) => Number(c.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  });

  it('grouped page by page give the groups findDuplicates gives over all of them at once', async () => {
    const all = (await read()).flatMap((page) => [...candidatesOf(page)]);
    const expected = findDuplicates(all, rules);
    expect(expected.size).toBeGreaterThan(0);
    expect(await findPortalDuplicates(db.pool, portalId, rules, { pageSize: 7 })).toEqual(expected);
  });
});

describe('saveComputedProperties', () => {
  it('leaves a row whose values did not change as it was, and replaces one whose values did', async () => {
    await clearResults();
    const stored = async () =>
      (
        await db.pool.query(
          `SELECT object_id, properties, computed_at FROM computed_properties
            WHERE portal_id = $1 AND source = 'hygiene' AND object_type = 'deals' ORDER BY object_id`,
          [portalId],
        )
      ).rows;
    const first = new Date('2026-11-01T00:00:00.000Z');
    const second = new Date('2026-11-02T00:00:00.000Z');
    await saveComputedProperties(db.pool, portalId, 'hygiene', first, [
      { objectType: 'deals', objectId: 1, properties: { clr_compliance_score: '100' } },
      { objectType: 'deals', objectId: 2, properties: { clr_compliance_score: '50' } },
    ]);
    await saveComputedProperties(db.pool, portalId, 'hygiene', second, [
      { objectType: 'deals', objectId: 1, properties: { clr_compliance_score: '100' } },
      { objectType: 'deals', objectId: 2, properties: { clr_compliance_score: '75' } },
      { objectType: 'deals', objectId: 3, properties: {} },
    ]);
    expect(await stored()).toEqual([
      { object_id: 1, properties: { clr_compliance_score: '100' }, computed_at: first },
      { object_id: 2, properties: { clr_compliance_score: '75' }, computed_at: second },
      { object_id: 3, properties: {}, computed_at: second },
    ]);
  });
});

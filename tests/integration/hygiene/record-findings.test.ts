import { beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../../server/db/pool.ts';
import {
  listFindings,
  recordFindings,
  PassBatchRows,
  recordPassBatch,
  type FindingRow,
} from '../../../server/db/repositories/findings.ts';
import { advanceCursor } from '../../../server/db/repositories/record-changes.ts';
import { useTestDatabase } from '../../helpers/database.ts';

const db = useTestDatabase();
const PORTAL = 7100001;
const OTHER_PORTAL = 7100002;
const day = (n: number) => new Date(Date.UTC(2026, 10, n));

const finding = (objectId: number, code: string, ownerId: string | null = null): FindingRow => ({
  objectType: 'deal',
  objectId,
  code,
  field: null,
  severity: 'warning',
  proposedFix: `fix ${code} on deal ${objectId}`,
  ownerId,
});

function write(portalId: number, now: Date, evaluated: number[], findings: FindingRow[]) {
  return withTransaction(db.pool, (tx) =>
    recordFindings(tx, portalId, {
      definitionsVersion: 1,
      now,
      evaluated: evaluated.map((objectId) => ({ objectType: 'deal', objectId })),
      findings,
    }),
  );
}

/** A pass batch's rows: each deal with findings, with no computed values. */
function rowsOf(findings: readonly FindingRow[]): PassBatchRows {
  const rows = new PassBatchRows();
  for (const id of [...new Set(findings.map((f) => f.objectId))]) {
    const own = findings.filter((f) => f.objectId === id);
    rows.add(id, {}, own[0]!.ownerId, own);
  }
  return rows;
}

function passBatch(portalId: number, now: Date, range: { fromId: number; toId: number }, findings: FindingRow[]) {
  return recordPassBatch(db.pool, portalId, {
    definitionsVersion: 1,
    now,
    range: { objectType: 'deal', ...range },
    computedType: 'deals',
    rows: rowsOf(findings),
  });
}

const state = async (portalId: number) =>
  Object.fromEntries(
    (await listFindings(db.pool, portalId)).map((f) => [
      `${f.objectId}:${f.code}`,
      { open: f.resolvedAt === null, firstSeen: f.firstSeenAt.toISOString(), lastSeen: f.lastSeenAt.toISOString() },
    ]),
  );

beforeAll(async () => {
  for (const portalId of [PORTAL, OTHER_PORTAL])
    await db.pool.query(`INSERT INTO portals (portal_id) VALUES ($1)`, [portalId]);
  await db.pool.query(`INSERT INTO owners (portal_id, id, email) VALUES ($1, '501', 'ana@example.com')`, [PORTAL]);
});

describe('recordFindings (the issue log of one evaluation)', () => {
  it('opens what is found, with the owner as an email', async () => {
    const written = await write(PORTAL, day(1), [1, 2, 3], [finding(1, 'a', '501'), finding(1, 'b'), finding(2, 'a')]);
    expect(written).toEqual({ open: 3, resolved: 0 });
    await write(OTHER_PORTAL, day(1), [1], [finding(1, 'a')]);
    const log = await listFindings(db.pool, PORTAL);
    expect(log.find((f) => f.objectId === 1 && f.code === 'a')?.ownerEmail).toBe('ana@example.com');
    expect(log.find((f) => f.objectId === 1 && f.code === 'b')?.ownerEmail).toBeNull();
  });

  it('resolves only the codes of evaluated records that are gone, and keeps the rest open', async () => {
    // Deal 1 lost `b`, deal 2 lost everything, deal 3 gained `c`; deal 4 was not evaluated.
    const written = await write(PORTAL, day(2), [1, 2, 3], [finding(1, 'a'), finding(3, 'c')]);
    expect(written).toEqual({ open: 2, resolved: 2 });
    expect(await state(PORTAL)).toEqual({
      '1:a': { open: true, firstSeen: day(1).toISOString(), lastSeen: day(2).toISOString() },
      '1:b': { open: false, firstSeen: day(1).toISOString(), lastSeen: day(1).toISOString() },
      '2:a': { open: false, firstSeen: day(1).toISOString(), lastSeen: day(1).toISOString() },
      '3:c': { open: true, firstSeen: day(2).toISOString(), lastSeen: day(2).toISOString() },
    });
    // Another portal's log is its own.
    expect((await state(OTHER_PORTAL))['1:a']?.open).toBe(true);
  });

  it('leaves records it did not evaluate alone, and reopens a resolved finding as a new occurrence', async () => {
    const written = await write(PORTAL, day(3), [1, 2], [finding(1, 'a'), finding(1, 'b'), finding(2, 'a')]);
    expect(written).toEqual({ open: 3, resolved: 0 });
    const now = await state(PORTAL);
    expect(now['1:b']).toEqual({ open: true, firstSeen: day(3).toISOString(), lastSeen: day(3).toISOString() });
    expect(now['1:a']).toEqual({ open: true, firstSeen: day(1).toISOString(), lastSeen: day(3).toISOString() });
    expect(now['3:c']).toEqual({ open: true, firstSeen: day(2).toISOString(), lastSeen: day(2).toISOString() });
  });

  it('resolves every open finding of a record evaluated with none', async () => {
    const written = await write(PORTAL, day(4), [1], []);
    expect(written).toEqual({ open: 0, resolved: 2 });
    const now = await state(PORTAL);
    expect([now['1:a']?.open, now['1:b']?.open, now['2:a']?.open]).toEqual([false, false, true]);
  });

  it('stores every text as it was given: quotes, backslashes, braces, commas, NULL and empty strings', async () => {
    const texts = ['say "hi"', 'C:\\path\\to', '{a,b}', 'NULL', '', ' spaced , out ', 'line\nbreak', 'ünïcødé ✓'];
    const findings = texts.map((text, i): FindingRow => ({
      objectType: 'deal',
      objectId: 900 + i,
      code: `code ${text}`,
      field: i % 2 === 0 ? text : null,
      severity: 'info',
      proposedFix: text,
      ownerId: i === 0 ? '501' : null,
    }));
    await write(
      PORTAL,
      day(5),
      findings.map((f) => f.objectId),
      findings,
    );
    const log = (await listFindings(db.pool, PORTAL)).filter((f) => f.objectId >= 900);
    expect(log.map((f) => [f.objectId, f.code, f.field, f.proposedFix, f.ownerEmail])).toEqual(
      findings.map((f) => [f.objectId, f.code, f.field, f.proposedFix, f.ownerId === null ? null : 'ana@example.com']),
    );
  });

  it('a pass batch resolves what is gone from every record of its range, and leaves the rest of the log alone', async () => {
    // Deals 800–803 open a finding each, deal 810 too; then the range 800–805 is evaluated with only
    // deal 801's finding present (deal 803 was, say, archived: the pass evaluated no record 803).
    await write(
      PORTAL,
      day(6),
      [800, 801, 802, 803, 810],
      [800, 801, 802, 803, 810].map((id) => finding(id, 'r')),
    );
    const written = await passBatch(PORTAL, day(7), { fromId: 800, toId: 805 }, [finding(801, 'r'), finding(802, 's')]);
    expect(written).toEqual({ open: 2, resolved: 3 });
    const now = await state(PORTAL);
    expect([800, 801, 802, 803, 810].map((id) => now[`${id}:r`]?.open)).toEqual([false, true, false, false, true]);
    expect(now['802:s']?.open).toBe(true);
    // Another type's findings in the same id range are not the range's.
    await db.pool.query(
      `INSERT INTO findings (portal_id, object_type, object_id, code, severity, proposed_fix, definitions_version,
                             first_seen_at, last_seen_at)
       VALUES ($1, 'ticket', 801, 't', 'info', 'fix', 1, $2, $2)`,
      [PORTAL, day(7)],
    );
    await passBatch(PORTAL, day(8), { fromId: 800, toId: 805 }, []);
    const ticket = (await listFindings(db.pool, PORTAL)).find((f) => f.objectType === 'ticket' && f.objectId === 801);
    expect(ticket?.resolvedAt).toBeNull();
  });
});

describe('recordPassBatch (a whole-portal pass: unchanged open findings are not rewritten)', () => {
  const P = 7100003;
  const rows = async () =>
    Object.fromEntries(
      (
        await db.pool.query<{ key: string; version: string; last_seen_at: Date }>(
          `SELECT object_id || ':' || code AS key, xmin::text AS version, last_seen_at FROM findings WHERE portal_id = $1`,
          [P],
        )
      ).rows.map((r) => [r.key, { version: r.version, lastSeenAt: r.last_seen_at.toISOString() }]),
    );
  const passDone = (now: Date) => advanceCursor(db.pool, P, 'hygiene', 0, { fullPassAt: now });
  const inP = (id: number, code: string, fix?: string) => ({
    ...finding(id, code),
    ...(fix === undefined ? {} : { proposedFix: fix }),
  });

  it('keeps first seen, last seen and resolved at as if every finding had been rewritten on every pass', async () => {
    await db.pool.query(`INSERT INTO portals (portal_id) VALUES ($1)`, [P]);
    const pass = (now: Date, findings: FindingRow[]) => passBatch(P, now, { fromId: 1, toId: 10 }, findings);

    expect(await pass(day(1), [inP(1, 'a'), inP(1, 'b'), inP(2, 'c')])).toEqual({ open: 3, resolved: 0 });
    await passDone(day(1));
    const first = await rows();

    // Day 2: `a` unchanged, `b`'s proposed fix changed, `c` gone, `d` new.
    expect(await pass(day(2), [inP(1, 'a'), inP(1, 'b', 'another fix'), inP(3, 'd')])).toEqual({
      open: 3,
      resolved: 1,
    });
    // Until the pass is done, `a`'s last sighting is the pass before (the one that finished).
    expect((await state(P))['1:a']?.lastSeen).toBe(day(1).toISOString());
    await passDone(day(2));
    const second = await rows();
    expect(second['1:a']).toEqual(first['1:a']); // not rewritten
    expect(second['1:b']?.version).not.toBe(first['1:b']?.version);
    expect(await state(P)).toEqual({
      '1:a': { open: true, firstSeen: day(1).toISOString(), lastSeen: day(2).toISOString() },
      '1:b': { open: true, firstSeen: day(1).toISOString(), lastSeen: day(2).toISOString() },
      '2:c': { open: false, firstSeen: day(1).toISOString(), lastSeen: day(1).toISOString() },
      '3:d': { open: true, firstSeen: day(2).toISOString(), lastSeen: day(2).toISOString() },
    });
    expect((await listFindings(db.pool, P)).find((f) => f.code === 'b')?.proposedFix).toBe('another fix');

    // Day 3: `b` gone (last seen on day 2, the pass that saw it last), `c` back as a new occurrence.
    expect(await pass(day(3), [inP(1, 'a'), inP(2, 'c'), inP(3, 'd')])).toEqual({ open: 3, resolved: 1 });
    await passDone(day(3));
    expect((await rows())['1:a']).toEqual(first['1:a']);
    expect(await state(P)).toEqual({
      '1:a': { open: true, firstSeen: day(1).toISOString(), lastSeen: day(3).toISOString() },
      '1:b': { open: false, firstSeen: day(1).toISOString(), lastSeen: day(2).toISOString() },
      '2:c': { open: true, firstSeen: day(3).toISOString(), lastSeen: day(3).toISOString() },
      '3:d': { open: true, firstSeen: day(2).toISOString(), lastSeen: day(3).toISOString() },
    });
    const resolvedAt = async (key: string) =>
      (await listFindings(db.pool, P)).find((f) => `${f.objectId}:${f.code}` === key)?.resolvedAt?.toISOString();
    expect(await resolvedAt('1:b')).toBe(day(3).toISOString());

    // Day 4, an evaluation of deal 1 alone (a card's write): `a` is gone, seen last by the day-3 pass.
    expect(await write(P, day(4), [1], [])).toEqual({ open: 0, resolved: 1 });
    expect((await state(P))['1:a']).toEqual({
      open: false,
      firstSeen: day(1).toISOString(),
      lastSeen: day(3).toISOString(),
    });
    expect(await resolvedAt('1:a')).toBe(day(4).toISOString());
  });

  it('writes a finding another transaction inserted meanwhile as this batch found it, by running again', async () => {
    // Another transaction inserts deal 20's finding `z` (and its computed values) and commits while the
    // batch, whose snapshot did not see them, is inserting the same rows.
    const other = await db.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO findings (portal_id, object_type, object_id, code, severity, proposed_fix, definitions_version,
                               first_seen_at, last_seen_at)
         VALUES ($1, 'deal', 20, 'z', 'info', 'their fix', 1, $2, $2)`,
        [P, day(6)],
      );
      await other.query(
        `INSERT INTO computed_properties (portal_id, object_type, object_id, source, properties, computed_at)
         VALUES ($1, 'deals', 20, 'hygiene', '{"clr_compliance_score": "1"}', $2)`,
        [P, day(6)],
      );
      const rows = new PassBatchRows();
      rows.add(20, { clr_compliance_score: '50' }, null, [inP(20, 'z', 'our fix')]);
      const batch = recordPassBatch(db.pool, P, {
        definitionsVersion: 1,
        now: day(7),
        range: { objectType: 'deal', fromId: 20, toId: 29 },
        computedType: 'deals',
        rows,
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await other.query('COMMIT');
      expect(await batch).toEqual({ open: 1, resolved: 0 });
    } finally {
      other.release();
    }
    const log = (await listFindings(db.pool, P)).find((f) => f.objectId === 20 && f.code === 'z');
    expect(log).toMatchObject({ proposedFix: 'our fix', firstSeenAt: day(6), resolvedAt: null });
    const { rows: values } = await db.pool.query(
      `SELECT properties FROM computed_properties WHERE portal_id = $1 AND object_type = 'deals' AND object_id = 20`,
      [P],
    );
    expect(values).toEqual([{ properties: { clr_compliance_score: '50' } }]);
  });

  it('refuses a record outside its range', async () => {
    await expect(passBatch(P, day(5), { fromId: 1, toId: 10 }, [inP(11, 'a')])).rejects.toThrow(RangeError);
  });
});

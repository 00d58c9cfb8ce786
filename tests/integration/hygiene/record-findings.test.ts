import { beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../../server/db/pool.ts';
import { listFindings, recordFindings, type FindingRow } from '../../../server/db/repositories/findings.ts';
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

  it('given a range, resolves what is gone from every record of the range, and leaves the rest of the log alone', async () => {
    // Deals 800–803 open a finding each, deal 810 too; then the range 800–805 is evaluated with only
    // deal 801's finding present (deal 803 was, say, archived: the pass evaluated no record 803).
    await write(
      PORTAL,
      day(6),
      [800, 801, 802, 803, 810],
      [800, 801, 802, 803, 810].map((id) => finding(id, 'r')),
    );
    const written = await withTransaction(db.pool, (tx) =>
      recordFindings(tx, PORTAL, {
        definitionsVersion: 1,
        now: day(7),
        evaluated: { objectType: 'deal', fromId: 800, toId: 805 },
        findings: [finding(801, 'r'), finding(802, 's')],
      }),
    );
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
    await withTransaction(db.pool, (tx) =>
      recordFindings(tx, PORTAL, {
        definitionsVersion: 1,
        now: day(8),
        evaluated: { objectType: 'deal', fromId: 800, toId: 805 },
        findings: [],
      }),
    );
    const ticket = (await listFindings(db.pool, PORTAL)).find((f) => f.objectType === 'ticket' && f.objectId === 801);
    expect(ticket?.resolvedAt).toBeNull();
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensureFirstDefinitions } from '../../../server/db/repositories/definitions.ts';
import { listFindings } from '../../../server/db/repositories/findings.ts';
import { evaluatePortal, RecordInputSchema, type RecordInput } from '../../../server/domain/hygiene/index.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { evaluatePortalHygiene } from '../../../server/hygiene/evaluate-portal.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { seedMirror, type MirrorFixture } from '../../helpers/seed-mirror.ts';

const db = useTestDatabase();
const fixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as MirrorFixture & { now: string };
const SINGULAR = { contacts: 'contact', companies: 'company', deals: 'deal', tickets: 'ticket' } as const;

/** The engine run directly on the fixture, with associations read from the fixture itself. */
function expectedFindings(): string[] {
  const related = new Map<string, { objectType: string; id: string; properties?: Record<string, string | null> }[]>();
  const deals = new Map(fixture.objects.deals.map((d) => [d.id, d.properties]));
  for (const { from, to } of fixture.associations) {
    for (const [a, b] of [
      [from, to],
      [to, from],
    ] as const) {
      const key = `${a.type}:${a.id}`;
      const list = related.get(key) ?? [];
      const properties = b.type === 'deals' ? deals.get(b.id) : undefined;
      list.push({
        objectType: SINGULAR[b.type as keyof typeof SINGULAR],
        id: b.id,
        ...(properties ? { properties } : {}),
      });
      related.set(key, list);
    }
  }
  const records: RecordInput[] = Object.entries(fixture.objects).flatMap(([type, objects]) =>
    objects.map((o) =>
      RecordInputSchema.parse({
        objectType: SINGULAR[type as keyof typeof SINGULAR],
        id: o.id,
        properties: o.properties,
        createdAt: o.createdAt,
        updatedAt: o.updatedAt,
        ...(o.properties.hubspot_owner_id ? { ownerId: o.properties.hubspot_owner_id } : {}),
        propertiesWithHistory: o.propertiesWithHistory ?? {},
        associations: related.get(`${type}:${o.id}`) ?? [],
      }),
    ),
  );
  return evaluatePortal(records, DEFAULT_DEFINITIONS, fixture.now)
    .flatMap((e) => e.findings.map((f) => `${f.objectType}:${f.objectId}:${f.code}`))
    .sort();
}

describe('hygiene over the mirror', () => {
  it('finds in the mirror exactly what the engine finds in the fixture, and writes it to the issue log', async () => {
    await seedMirror(db.pool, fixture);
    await ensureFirstDefinitions(db.pool, fixture.portalId, DEFAULT_DEFINITIONS);
    const progress: string[] = [];
    const summary = await evaluatePortalHygiene(db.pool, fixture.portalId, {
      now: new Date(fixture.now),
      batchSize: 40,
      onProgress: (type, n) => progress.push(`${type}:${n}`),
    });
    expect(summary.records).toBe(150 + 40 + 25 + 6);
    expect(progress).toContain('contact:150');
    const log = await listFindings(db.pool, fixture.portalId, { open: true });
    expect(log.map((f) => `${f.objectType}:${f.objectId}:${f.code}`).sort()).toEqual(expectedFindings());
    expect(log.length).toBeGreaterThan(20);
    // Owners are resolved to emails where the record has one.
    expect(log.some((f) => f.ownerEmail?.endsWith('@example.com'))).toBe(true);
  });

  it('resolves a finding that disappears instead of deleting it, and reopens it when it returns', async () => {
    const open = await listFindings(db.pool, fixture.portalId, { open: true });
    const target = open.find((f) => f.code === 'missing_field:amount')!;
    expect(target).toBeDefined();
    await db.pool.query(
      `UPDATE deals SET properties = properties || '{"amount":"1000"}' WHERE portal_id = $1 AND id = $2`,
      [fixture.portalId, target.objectId],
    );
    await evaluatePortalHygiene(db.pool, fixture.portalId, { now: new Date(fixture.now) });
    const after = (await listFindings(db.pool, fixture.portalId)).find(
      (f) => f.objectId === target.objectId && f.code === target.code,
    )!;
    expect(after.resolvedAt).not.toBeNull();
    expect(after.firstSeenAt).toEqual(target.firstSeenAt);

    await db.pool.query(`UPDATE deals SET properties = properties - 'amount' WHERE portal_id = $1 AND id = $2`, [
      fixture.portalId,
      target.objectId,
    ]);
    const later = new Date(new Date(fixture.now).getTime() + 86_400_000);
    await evaluatePortalHygiene(db.pool, fixture.portalId, { now: later });
    const reopened = (await listFindings(db.pool, fixture.portalId)).find(
      (f) => f.objectId === target.objectId && f.code === target.code,
    )!;
    expect(reopened.resolvedAt).toBeNull();
    expect(reopened.firstSeenAt).toEqual(later);
  });
});

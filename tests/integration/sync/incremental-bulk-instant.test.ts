import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFixture, type Fixture } from '../../../server/sandbox/fixture.ts';
import { runIncrementalSync } from '../../../server/sync/incremental-sync.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { installedPortal, type InstalledPortal } from './helpers/installed-portal.ts';
import { expectMirrorEqualsFixture } from './helpers/mirror-vs-fixture.ts';

// A bulk import: more contacts than one search can page through, all modified in the same millisecond.
const CONTACTS = 10_250;
const IMPORTED_AT = '2026-10-01T09:00:00.000Z';
const db = useTestDatabase();
let portal: InstalledPortal;
let fixture: Fixture;

function bulkImportedPortal(): Fixture {
  const demo = parseFixture(JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')));
  const contacts = Array.from({ length: CONTACTS }, (_, i) => ({
    id: String(100_000 + i),
    createdAt: IMPORTED_AT,
    updatedAt: IMPORTED_AT,
    archived: false,
    properties: {
      createdate: IMPORTED_AT,
      lastmodifieddate: IMPORTED_AT,
      email: `imported${i}@example.com`,
      lifecyclestage: 'lead',
    },
  }));
  return parseFixture({
    ...demo,
    objects: { ...demo.objects, contacts },
    associations: demo.associations.filter((a) => a.from.type !== 'contacts' && a.to.type !== 'contacts'),
    events: [],
    ingest: { touches: [], spend: [] },
  });
}

beforeAll(async () => {
  fixture = bulkImportedPortal();
  portal = await installedPortal(
    db.url,
    { fixture },
    { budgetLimits: { standard: { max: 2_000, windowMs: 10_000 }, search: { max: 5, windowMs: 1_000 } } },
  );
});
afterAll(async () => {
  await portal?.close();
});

describe('incremental sync of more than 10,000 records modified in one millisecond', () => {
  it('pages the crowded instant by id and reads every record once', async () => {
    await db.pool.query(
      `INSERT INTO sync_runs (portal_id, kind, status, started_at, finished_at) VALUES ($1, 'full', 'succeeded', 'epoch', 'epoch')`,
      [portal.portalId],
    );
    const outcome = await runIncrementalSync(portal.deps(db.pool), portal.portalId);
    expect(outcome.status).toBe('succeeded');
    await expectMirrorEqualsFixture(db.pool, portal.portalId, fixture, { objectsOnly: true });
    const searches = portal.sandbox.writes
      .list({ kind: 'read', pathPrefix: '/crm/v3/objects/contacts/search' })
      .map((w) => JSON.stringify(w.body));
    expect(searches.some((body) => body.includes('"hs_object_id"'))).toBe(true);
    const run = await db.pool.query(`SELECT records FROM sync_runs WHERE id = $1`, [outcome.runId]);
    // 10,000 found in the first window, then the crowded instant by id: the ones already stored are
    // not read again. The demo's other records (changed since the epoch too) come on top.
    const others = (['companies', 'deals', 'tickets'] as const).reduce(
      (n, type) => n + (fixture.objects[type] ?? []).length,
      0,
    );
    expect(run.rows[0].records).toBe(CONTACTS + others);
  }, 240_000);
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFixture, type Fixture } from '../../../server/sandbox/fixture.ts';
import { runIncrementalSync } from '../../../server/sync/incremental-sync.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { writeGeneratedFixture } from './helpers/generated-fixture.ts';
import { installedPortal, type InstalledPortal } from './helpers/installed-portal.ts';
import { expectMirrorEqualsFixture, propertiesNotRequested } from './helpers/mirror-vs-fixture.ts';

// More contacts changed than one search may page through (HubSpot stops at 10,000 results).
const CONTACTS = 10_600;
const db = useTestDatabase();
let portal: InstalledPortal;
let fixture: Fixture;
let remove: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  const generated = await writeGeneratedFixture(CONTACTS, 5);
  remove = generated.remove;
  fixture = parseFixture(JSON.parse(readFileSync(generated.file, 'utf8')));
  // A roomier budget than HubSpot's 110 / 10 s keeps the test short; search keeps its 5 / s.
  portal = await installedPortal(
    db.url,
    { fixture: generated.file },
    { budgetLimits: { standard: { max: 2_000, windowMs: 10_000 }, search: { max: 5, windowMs: 1_000 } } },
  );
});
afterAll(async () => {
  await portal?.close();
  await remove();
});

describe('incremental sync past the 10,000-result search ceiling', () => {
  it('pages past the ceiling (the last instant by id, then on after it) and reads every changed record', async () => {
    // A finished full sync at the epoch: every record counts as changed since.
    await db.pool.query(
      `INSERT INTO sync_runs (portal_id, kind, status, started_at, finished_at) VALUES ($1, 'full', 'succeeded', 'epoch', 'epoch')`,
      [portal.portalId],
    );
    const outcome = await runIncrementalSync(portal.deps(db.pool), portal.portalId);
    expect(outcome.status).toBe('succeeded');
    await expectMirrorEqualsFixture(db.pool, portal.portalId, fixture, {
      ignoredProperties: propertiesNotRequested(fixture),
      objectsOnly: true,
    });

    const searches = portal.sandbox.writes
      .list({ kind: 'read', pathPrefix: '/crm/v3/objects/contacts/search' })
      .map((w) => w.body as { after?: string; filterGroups: { filters: { value: string }[] }[] });
    expect(searches.every((s) => s.after === undefined || Number(s.after) < 10_000)).toBe(true);
    const windows = new Set(searches.map((s) => s.filterGroups[0]!.filters[0]!.value));
    expect(windows.size).toBeGreaterThanOrEqual(2);
  }, 240_000);
});

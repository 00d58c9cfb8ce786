import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFullSync } from '../../../server/sync/full-sync.ts';
import { DEFAULT_CADENCE, runIncrementalSync } from '../../../server/sync/incremental-sync.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { installedPortal, type InstalledPortal } from './helpers/installed-portal.ts';
import { expectMirrorEqualsFixture, propertiesNotRequested } from './helpers/mirror-vs-fixture.ts';
import { sandboxControl } from './helpers/sandbox-control.ts';
import { sandboxCalls } from './helpers/sync-calls.ts';

/**
 * Records restored from HubSpot's recycle bin come back into the mirror with their history and
 * associations, though a restore moves no last-modified date (the search can't see it) and gives the
 * record back older than the deletion the mirror recorded. The webhook path (`contact.restore`) is in
 * webhook-apply.test.ts.
 */
const FIXTURE = 'tests/fixtures/demo-portal.json';
const db = useTestDatabase();
let portal: InstalledPortal;
let control: ReturnType<typeof sandboxControl>;

beforeAll(async () => {
  portal = await installedPortal(db.url, { fixture: FIXTURE });
  control = sandboxControl(portal.sandbox);
  await runFullSync(portal.deps(db.pool), portal.portalId);
});
afterAll(async () => {
  await portal?.close();
});

const incremental = (cadence = DEFAULT_CADENCE) =>
  runIncrementalSync({ ...portal.deps(db.pool), cadence }, portal.portalId);
const binPass = { ...DEFAULT_CADENCE, archivedPassMs: 0 };

async function expectMirrorEqualsPortal(): Promise<void> {
  const state = portal.sandbox.exportFixture();
  await expectMirrorEqualsFixture(db.pool, portal.portalId, state, {
    ignoredProperties: propertiesNotRequested(state),
  });
}

async function contact(id: string) {
  const { rows } = await db.pool.query<{ archived: boolean; purged: boolean; associations: number; history: number }>(
    `SELECT c.archived, c.purged_at IS NOT NULL AS purged,
            (SELECT count(*)::int FROM associations a
              WHERE a.portal_id = c.portal_id AND ((a.from_type = 'contacts' AND a.from_id = c.id)
                 OR (a.to_type = 'contacts' AND a.to_id = c.id))) AS associations,
            (SELECT count(*)::int FROM stage_events e
              WHERE e.portal_id = c.portal_id AND e.object_type = 'contacts' AND e.object_id = c.id) AS history
       FROM contacts c WHERE c.portal_id = $1 AND c.id = $2`,
    [portal.portalId, Number(id)],
  );
  return rows[0];
}

/** Calls of one run, less those of a run with nothing to do (the demo's future-dated records are read each time). */
async function callsOf(run: () => Promise<unknown>): Promise<number> {
  let before = sandboxCalls(portal.sandbox);
  await incremental();
  const quiet = sandboxCalls(portal.sandbox) - before;
  before = sandboxCalls(portal.sandbox);
  await run();
  return sandboxCalls(portal.sandbox) - before - quiet;
}

describe('records restored from the recycle bin', () => {
  it('the incremental sync brings one back at its recycle-bin pass, with its history and associations', async () => {
    const id = '1051';
    const live = await contact(id);
    expect(live).toMatchObject({ archived: false });
    expect(live!.associations).toBeGreaterThan(1);
    expect(live!.history).toBeGreaterThan(0);
    await control.remove('contacts', id);
    await incremental(binPass);
    expect(await contact(id)).toMatchObject({ archived: true, associations: 0 });

    await control.restore('contacts', id);
    // The search can't see a restore: its last-modified date is the one from before the deletion.
    await incremental();
    expect(await contact(id)).toMatchObject({ archived: true });
    // The pass: one bin page per type, the restored contact read by id (history: one call) and its
    // associations with companies and deals (one call each).
    expect(await callsOf(() => incremental(binPass))).toBe(4 + 1 + 2);
    expect(await contact(id)).toEqual({ ...live, purged: false });
    await expectMirrorEqualsPortal();
    // Back in the mirror, it is not looked up again.
    expect(await callsOf(() => incremental(binPass))).toBe(4);
  });

  it('a record purged from the bin is looked up once, then left alone', async () => {
    // In neither listing: purged (emptied from the bin, or deleted permanently) after the mirror saw it go.
    await db.pool.query(
      `INSERT INTO contacts (portal_id, id, properties, created_at, updated_at, archived)
       VALUES ($1, 999998, '{}', now() - interval '2 days', now() - interval '1 day', true)`,
      [portal.portalId],
    );
    expect(await callsOf(() => incremental(binPass))).toBe(4 + 1);
    expect(await contact('999998')).toMatchObject({ archived: true, purged: true });
    expect(await callsOf(() => incremental(binPass))).toBe(4);
  });

  it('the full sync brings one back too', async () => {
    const id = '1080';
    const live = await contact(id);
    await control.remove('contacts', id);
    await runFullSync(portal.deps(db.pool), portal.portalId);
    expect(await contact(id)).toMatchObject({ archived: true, associations: 0 });
    await control.restore('contacts', id);
    await runFullSync(portal.deps(db.pool), portal.portalId);
    expect(await contact(id)).toEqual({ ...live, purged: false });
    await expectMirrorEqualsPortal();
  });
});

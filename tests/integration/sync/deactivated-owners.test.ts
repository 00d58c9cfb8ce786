import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFixture, type Fixture } from '../../../server/sandbox/fixture.ts';
import { runFullSync } from '../../../server/sync/full-sync.ts';
import { DEFAULT_CADENCE, runIncrementalSync } from '../../../server/sync/incremental-sync.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { installedPortal, type InstalledPortal } from './helpers/installed-portal.ts';
import { expectMirrorEqualsFixture, propertiesNotRequested } from './helpers/mirror-vs-fixture.ts';
import { sandboxControl } from './helpers/sandbox-control.ts';
import { countsOf, minimumCalls, sandboxCalls } from './helpers/sync-calls.ts';

/**
 * HubSpot lists the owners of deactivated users only with `archived=true`, yet records keep naming
 * them: the demo portal plus a deactivated owner (504) who still owns a contact and a deal.
 */
function withDeactivatedOwner(): Fixture {
  const fixture = parseFixture(JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')));
  fixture.owners.push({
    id: '504',
    email: 'dana.left@example.com',
    firstName: 'Dana',
    lastName: 'Left',
    archived: true,
  });
  fixture.objects.contacts![0]!.properties.hubspot_owner_id = '504';
  fixture.objects.deals![0]!.properties.hubspot_owner_id = '504';
  return fixture;
}

const fixture = withDeactivatedOwner();
const db = useTestDatabase();
let portal: InstalledPortal;
let control: ReturnType<typeof sandboxControl>;

beforeAll(async () => {
  portal = await installedPortal(db.url, { fixture });
  control = sandboxControl(portal.sandbox);
});
afterAll(async () => {
  await portal?.close();
});

const incremental = (cadence = DEFAULT_CADENCE) =>
  runIncrementalSync({ ...portal.deps(db.pool), cadence }, portal.portalId);
const owner = async (id: string) =>
  (
    await db.pool.query<{ email: string; archived: boolean }>(
      `SELECT email, archived FROM owners WHERE portal_id = $1 AND id = $2`,
      [portal.portalId, id],
    )
  ).rows[0];
/** The calls `run` makes. */
async function callsOf(run: () => Promise<unknown>): Promise<number> {
  const before = sandboxCalls(portal.sandbox);
  await run();
  return sandboxCalls(portal.sandbox) - before;
}

describe('deactivated owners', () => {
  it('the full sync reads them too: records they own resolve to an owner flagged archived', async () => {
    const before = sandboxCalls(portal.sandbox);
    await runFullSync(portal.deps(db.pool), portal.portalId);
    // One more owners call than before deactivated owners were read: the archived listing.
    expect(sandboxCalls(portal.sandbox) - before).toBe(minimumCalls(countsOf(fixture)));
    expect(countsOf(fixture).archivedOwners).toBe(1);

    const resolved = await db.pool.query(
      `SELECT r.type, o.email, o.archived
         FROM (SELECT 'contacts' AS type, owner_id FROM contacts WHERE portal_id = $1 AND id = $2
               UNION ALL
               SELECT 'deals', properties ->> 'hubspot_owner_id' FROM deals WHERE portal_id = $1 AND id = $3) r
         LEFT JOIN owners o ON o.portal_id = $1 AND o.id = r.owner_id
        ORDER BY 1`,
      [portal.portalId, Number(fixture.objects.contacts![0]!.id), Number(fixture.objects.deals![0]!.id)],
    );
    expect(resolved.rows).toEqual([
      { type: 'contacts', email: 'dana.left@example.com', archived: true },
      { type: 'deals', email: 'dana.left@example.com', archived: true },
    ]);
    const state = portal.sandbox.exportFixture();
    await expectMirrorEqualsFixture(db.pool, portal.portalId, state, {
      ignoredProperties: propertiesNotRequested(state),
    });
  });

  it('a changed record still owned by a deactivated owner does not make the run read the owners', async () => {
    const [dana, ana] = [
      fixture.objects.contacts![0]!,
      fixture.objects.contacts!.find((c) => c.properties.hubspot_owner_id === '501')!,
    ];
    await control.edit('contacts', ana.id, { firstname: 'Owned by Ana' });
    const active = await callsOf(() => incremental());
    await control.edit('contacts', dana.id, { firstname: 'Still owned by Dana' });
    expect(await callsOf(() => incremental())).toBe(active);
  });

  it('a user deactivated since is flagged at the hourly refresh, and unflagged once reactivated', async () => {
    const ben = fixture.owners.find((o) => o.id === '502')!;
    await control.putOwner({ ...ben, archived: true });
    await incremental();
    expect(await owner('502')).toEqual({ email: ben.email, archived: false });

    const quiet = await callsOf(() => incremental());
    // Two owners listings (active, deactivated), one page each, and the two pipeline types.
    expect(await callsOf(() => incremental({ ...DEFAULT_CADENCE, referenceRefreshMs: 0 }))).toBe(quiet + 2 + 2);
    expect(await owner('502')).toEqual({ email: ben.email, archived: true });

    await control.putOwner({ ...ben, archived: false });
    await incremental({ ...DEFAULT_CADENCE, referenceRefreshMs: 0 });
    expect(await owner('502')).toEqual({ email: ben.email, archived: false });
  });

  it('a deactivated owner the mirror never saw, named by a changed record, is read at once', async () => {
    await control.putOwner({ id: '505', email: 'gone.before@example.com', firstName: 'Gone', archived: true });
    await control.edit('deals', fixture.objects.deals![1]!.id, { hubspot_owner_id: '505' });
    expect(await owner('505')).toBeUndefined();
    await incremental();
    expect(await owner('505')).toEqual({ email: 'gone.before@example.com', archived: true });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFullSync } from '../../../server/sync/full-sync.ts';
import { SEARCH_LAG_MARGIN_MS, runIncrementalSync } from '../../../server/sync/incremental-sync.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { installedPortal, type InstalledPortal } from './helpers/installed-portal.ts';
import { expectMirrorEqualsFixture, propertiesNotRequested } from './helpers/mirror-vs-fixture.ts';

const FIXTURE = 'tests/fixtures/demo-portal.json';
const db = useTestDatabase();
let portal: InstalledPortal;

beforeAll(async () => {
  portal = await installedPortal(db.url, { fixture: FIXTURE });
});
afterAll(async () => {
  await portal?.close();
});

/** A person's edit in HubSpot (the sandbox's control API: history, last-modified and date-entered stamps). */
async function edit(type: string, id: string, properties: Record<string, string>): Promise<void> {
  const response = await fetch(`${portal.sandbox.url}/__sandbox/objects/${type}/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ properties }),
  });
  if (!response.ok) throw new Error(`edit ${type} ${id}: ${response.status} ${await response.text()}`);
}

describe('incremental sync', () => {
  it('does nothing before a full sync has finished', async () => {
    expect(await runIncrementalSync(portal.deps(db.pool), portal.portalId)).toEqual({ runId: 0, status: 'skipped' });
  });

  it('brings the mirror up to date with edits made after the full sync, history and stage events included', async () => {
    await runFullSync(portal.deps(db.pool), portal.portalId);
    const initial = portal.sandbox.exportFixture();
    const contact = initial.objects.contacts!.find((c) => c.properties.lifecyclestage === 'lead')!;
    const deal = initial.objects.deals!.find((d) => d.properties.dealstage === 'appointmentscheduled')!;
    const company = initial.objects.companies![0]!;
    await edit('contacts', contact.id, { lifecyclestage: 'marketingqualifiedlead', firstname: 'Renamed' });
    await edit('deals', deal.id, { dealstage: 'qualifiedtobuy', amount: '12345' });
    await edit('companies', company.id, { name: 'Renamed Ltd' });

    const outcome = await runIncrementalSync(portal.deps(db.pool), portal.portalId);
    expect(outcome.status).toBe('succeeded');
    const state = portal.sandbox.exportFixture();
    // HubSpot's own stamps the policy doesn't read (hs_v2_date_entered_* of lifecycle stages) are not requested.
    await expectMirrorEqualsFixture(db.pool, portal.portalId, state, {
      ignoredProperties: propertiesNotRequested(state),
    });
    const events = await db.pool.query(
      `SELECT value, source_type FROM stage_events WHERE portal_id = $1 AND object_type = 'contacts' AND object_id = $2
        ORDER BY occurred_at`,
      [portal.portalId, Number(contact.id)],
    );
    expect(events.rows.at(-1)).toEqual({ value: 'marketingqualifiedlead', source_type: 'CRM_UI' });
    const run = await db.pool.query(`SELECT kind, status, records FROM sync_runs WHERE id = $1`, [outcome.runId]);
    expect(run.rows[0]).toMatchObject({ kind: 'incremental', status: 'succeeded' });
    expect(run.rows[0].records).toBeGreaterThanOrEqual(3);
  });

  it('reads again only records modified within the search-lag margin, and changes nothing', async () => {
    const startedMs = Date.now();
    const snapshot = await db.pool.query(`SELECT id, properties FROM contacts WHERE portal_id = $1 ORDER BY id`, [
      portal.portalId,
    ]);
    const outcome = await runIncrementalSync(portal.deps(db.pool), portal.portalId);
    expect(outcome.status).toBe('succeeded');
    const after = await db.pool.query(`SELECT id, properties FROM contacts WHERE portal_id = $1 ORDER BY id`, [
      portal.portalId,
    ]);
    expect(after.rows).toEqual(snapshot.rows);
    // Only records modified within the search-lag margin (the edits above, and the demo's few
    // future-dated records) are read again.
    const recent = Object.values(portal.sandbox.exportFixture().objects)
      .flat()
      .filter((r) => Date.parse(r.updatedAt) >= startedMs - SEARCH_LAG_MARGIN_MS - 60_000).length;
    const run = await db.pool.query(`SELECT records FROM sync_runs WHERE id = $1`, [outcome.runId]);
    expect(run.rows[0].records).toBeLessThanOrEqual(recent);
    expect(recent).toBeLessThan(20);
    const state = portal.sandbox.exportFixture();
    // HubSpot's own stamps the policy doesn't read (hs_v2_date_entered_* of lifecycle stages) are not requested.
    await expectMirrorEqualsFixture(db.pool, portal.portalId, state, {
      ignoredProperties: propertiesNotRequested(state),
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFullSync } from '../../../server/sync/full-sync.ts';
import { DEFAULT_CADENCE, runIncrementalSync } from '../../../server/sync/incremental-sync.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { installedPortal, type InstalledPortal } from './helpers/installed-portal.ts';
import { expectMirrorEqualsFixture, propertiesNotRequested } from './helpers/mirror-vs-fixture.ts';
import { sandboxControl } from './helpers/sandbox-control.ts';
import { sandboxCalls } from './helpers/sync-calls.ts';

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
const owner = async (id: string) =>
  (await db.pool.query(`SELECT email FROM owners WHERE portal_id = $1 AND id = $2`, [portal.portalId, id])).rows[0];
const stagesOf = async (pipeline: string) =>
  (
    await db.pool.query<{ stages: { id: string; label: string }[] }>(
      `SELECT stages FROM pipelines WHERE portal_id = $1 AND object_type = 'deals' AND id = $2`,
      [portal.portalId, pipeline],
    )
  ).rows[0]!.stages.map((s) => `${s.id}:${s.label}`);

describe('the incremental sync also keeps owners, pipelines and events current', () => {
  it('reads the events that occurred since the last run, in one call when there are few', async () => {
    const contact = portal.sandbox.exportFixture().objects.contacts![0]!.id;
    const events = [1, 2, 3].map((n) => ({
      id: `live-${n}`,
      eventType: 'e_visited_page',
      objectType: 'contacts',
      objectId: contact,
      occurredAt: new Date(Date.now() - n * 1_000).toISOString(),
      properties: { hs_url: `https://example.com/pricing?n=${n}` },
    }));
    // A run with nothing new to read sets the steady cost (the demo's future-dated records are read
    // each time, being within the search-lag margin); new events fit in its one events call.
    let before = sandboxCalls(portal.sandbox);
    await incremental();
    const steady = sandboxCalls(portal.sandbox) - before;
    await control.addEvents(events);
    before = sandboxCalls(portal.sandbox);
    await incremental();
    expect(sandboxCalls(portal.sandbox) - before).toBe(steady);
    const stored = await db.pool.query(
      `SELECT id, object_id FROM hubspot_events WHERE portal_id = $1 AND id LIKE 'live-%' ORDER BY id`,
      [portal.portalId],
    );
    expect(stored.rows).toEqual(events.map((e) => ({ id: e.id, object_id: Number(contact) })));
  });

  it('reads owners again at once when a changed record names an owner the mirror does not know', async () => {
    await control.putOwner({ id: '777', email: 'new.rep@example.com', firstName: 'New', lastName: 'Rep' });
    expect(await owner('777')).toBeUndefined();
    const contact = portal.sandbox.exportFixture().objects.contacts![1]!.id;
    await control.edit('contacts', contact, { hubspot_owner_id: '777' });
    await incremental();
    expect(await owner('777')).toEqual({ email: 'new.rep@example.com' });
  });

  it('reads pipelines again at once when a changed deal is in a stage the mirror does not know', async () => {
    const pipeline = portal.sandbox.exportFixture().pipelines.deals![0]!;
    await control.putPipeline('deals', {
      ...pipeline,
      stages: [
        ...pipeline.stages,
        {
          id: 'legalreview',
          label: 'Legal review',
          displayOrder: 99,
          metadata: { isClosed: 'false', probability: '0.8' },
        },
      ],
    });
    expect(await stagesOf(pipeline.id)).not.toContain('legalreview:Legal review');
    const deal = portal.sandbox.exportFixture().objects.deals!.find((d) => d.properties.pipeline === pipeline.id)!.id;
    await control.edit('deals', deal, { dealstage: 'legalreview' });
    await incremental();
    expect(await stagesOf(pipeline.id)).toContain('legalreview:Legal review');
    const state = portal.sandbox.exportFixture();
    await expectMirrorEqualsFixture(db.pool, portal.portalId, state, {
      ignoredProperties: propertiesNotRequested(state),
    });
  });

  it('sees a renamed stage or an owner’s new email at the hourly refresh, not before', async () => {
    const pipeline = portal.sandbox.exportFixture().pipelines.deals![0]!;
    await control.putPipeline('deals', {
      ...pipeline,
      stages: pipeline.stages.map((s) => (s.id === 'legalreview' ? { ...s, label: 'Legal & security review' } : s)),
    });
    await control.putOwner({ id: '777', email: 'rep@example.com', firstName: 'New', lastName: 'Rep' });
    await incremental();
    expect(await stagesOf(pipeline.id)).toContain('legalreview:Legal review');
    expect(await owner('777')).toEqual({ email: 'new.rep@example.com' });

    await incremental({ ...DEFAULT_CADENCE, referenceRefreshMs: 0 });
    expect(await stagesOf(pipeline.id)).toContain('legalreview:Legal & security review');
    expect(await owner('777')).toEqual({ email: 'rep@example.com' });
  });
});

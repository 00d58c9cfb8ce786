import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logging/logger.ts';
import { applyWebhookChanges } from '../../../server/sync/apply-webhook-changes.ts';
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

/** The mirror holds exactly what the sandbox portal holds now (live records, their history, associations…). */
async function expectMirrorEqualsPortal(): Promise<void> {
  const state = portal.sandbox.exportFixture();
  await expectMirrorEqualsFixture(db.pool, portal.portalId, state, {
    ignoredProperties: propertiesNotRequested(state),
  });
}

async function row(table: 'contacts' | 'companies' | 'deals' | 'tickets', id: string) {
  const { rows } = await db.pool.query<{ archived: boolean; merged_into_id: number | null }>(
    // The table name comes from the typed parameter above, never from input.
    `SELECT archived, merged_into_id FROM ${table} WHERE portal_id = $1 AND id = $2`,
    [portal.portalId, Number(id)],
  );
  return rows[0];
}

async function associationsOf(type: string, id: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM associations
      WHERE portal_id = $1 AND ((from_type = $2 AND from_id = $3) OR (to_type = $2 AND to_id = $3))`,
    [portal.portalId, type, Number(id)],
  );
  return rows[0]!.n;
}

const incremental = (cadence = DEFAULT_CADENCE) =>
  runIncrementalSync({ ...portal.deps(db.pool), cadence }, portal.portalId);

describe('deletions reach the mirror', () => {
  it('the full sync archives what HubSpot deleted, and what it no longer has at all', async () => {
    const state = portal.sandbox.exportFixture();
    const [gone, alsoGone] = state.objects.contacts!.slice(10, 12).map((c) => c.id) as [string, string];
    const deal = state.objects.deals![0]!.id;
    expect(await associationsOf('contacts', gone)).toBeGreaterThan(0);
    await control.remove('contacts', gone);
    await control.remove('contacts', alsoGone);
    await control.remove('deals', deal);
    // A record purged from the recycle bin (or one the mirror kept by mistake): in no listing at all.
    await db.pool.query(
      `INSERT INTO contacts (portal_id, id, properties, created_at, updated_at) VALUES ($1, $2, '{}', now(), now())`,
      [portal.portalId, 999_999],
    );

    await runFullSync(portal.deps(db.pool), portal.portalId);
    for (const [table, id] of [
      ['contacts', gone],
      ['contacts', alsoGone],
      ['deals', deal],
      ['contacts', '999999'],
    ] as const)
      expect(await row(table, id), `${table} ${id}`).toMatchObject({ archived: true, merged_into_id: null });
    expect(await associationsOf('contacts', gone)).toBe(0);
    expect(await associationsOf('deals', deal)).toBe(0);
    await expectMirrorEqualsPortal();
  });

  it('the incremental sync reads the recycle bin hourly, not every run', async () => {
    const id = portal.sandbox.exportFixture().objects.contacts!.find((c) => !c.archived)!.id;
    await control.remove('contacts', id);
    // Right after a full sync the hourly pass is not due: the deletion waits (or comes by webhook).
    const before = sandboxCalls(portal.sandbox);
    await incremental();
    expect(await row('contacts', id)).toMatchObject({ archived: false });
    const quiet = sandboxCalls(portal.sandbox) - before;
    // Once due, one page per type (each bin holds fewer than 100 records here).
    const due = sandboxCalls(portal.sandbox);
    await incremental({ ...DEFAULT_CADENCE, archivedPassMs: 0 });
    expect(sandboxCalls(portal.sandbox) - due - quiet).toBe(4);
    expect(await row('contacts', id)).toMatchObject({ archived: true });
    await expectMirrorEqualsPortal();
  });
});

describe('merges reach the mirror: the survivor takes the history, associations, events and touches', () => {
  it('the incremental sync folds merged contacts into the new record HubSpot made', async () => {
    // Two contacts with events, deals and stage history.
    const [a, b] = ['1051', '1063'];
    await db.pool.query(
      `INSERT INTO ingested_touches (portal_id, id, occurred_at, channel, contact_id) VALUES ($1, 'offline-1', now(), 'events', $2)`,
      [portal.portalId, Number(b)],
    );
    const eventsBefore = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM hubspot_events WHERE portal_id = $1 AND object_id = ANY($2::bigint[])`,
      [portal.portalId, [Number(a), Number(b)]],
    );
    expect(eventsBefore.rows[0]!.n).toBeGreaterThan(0);
    const merged = await control.merge('contacts', a, b);

    await incremental();
    expect(await row('contacts', merged.id)).toMatchObject({ archived: false, merged_into_id: null });
    for (const old of [a, b]) {
      expect(await row('contacts', old)).toMatchObject({ archived: true, merged_into_id: Number(merged.id) });
      expect(await associationsOf('contacts', old)).toBe(0);
    }
    const events = await db.pool.query<{ object_id: number; n: number }>(
      `SELECT object_id, count(*)::int AS n FROM hubspot_events
        WHERE portal_id = $1 AND object_id = ANY($2::bigint[]) GROUP BY object_id`,
      [portal.portalId, [Number(a), Number(b), Number(merged.id)]],
    );
    expect(events.rows).toEqual([{ object_id: Number(merged.id), n: eventsBefore.rows[0]!.n }]);
    const touch = await db.pool.query(`SELECT contact_id FROM ingested_touches WHERE portal_id = $1`, [
      portal.portalId,
    ]);
    expect(touch.rows).toEqual([{ contact_id: Number(merged.id) }]);
    const history = await db.pool.query(
      `SELECT DISTINCT object_id FROM stage_events WHERE portal_id = $1 AND object_type = 'contacts'
          AND object_id = ANY($2::bigint[])`,
      [portal.portalId, [Number(a), Number(b), Number(merged.id)]],
    );
    expect(history.rows).toEqual([{ object_id: Number(merged.id) }]);
    await expectMirrorEqualsPortal();
  });

  it('a merge of a merged record points every earlier id at the newest survivor', async () => {
    const survivor = (
      await db.pool.query<{ id: number }>(
        `SELECT DISTINCT merged_into_id AS id FROM contacts WHERE portal_id = $1 AND merged_into_id IS NOT NULL`,
        [portal.portalId],
      )
    ).rows[0]!.id;
    const again = await control.merge('contacts', '1080', String(survivor));
    await incremental();
    const pointers = await db.pool.query<{ id: number; merged_into_id: number }>(
      `SELECT id, merged_into_id FROM contacts WHERE portal_id = $1 AND merged_into_id IS NOT NULL ORDER BY id`,
      [portal.portalId],
    );
    expect(pointers.rows).toEqual(
      [1051, 1063, 1080, survivor].sort((x, y) => x - y).map((id) => ({ id, merged_into_id: Number(again.id) })),
    );
    await expectMirrorEqualsPortal();
  });

  it('the full sync folds merged companies into the survivor it lists', async () => {
    const live = portal.sandbox.exportFixture().objects.companies!.filter((c) => !c.archived);
    const [a, b] = live.slice(0, 2).map((c) => c.id) as [string, string];
    const merged = await control.merge('companies', a, b);
    await runFullSync(portal.deps(db.pool), portal.portalId);
    for (const old of [a, b])
      expect(await row('companies', old)).toMatchObject({ archived: true, merged_into_id: Number(merged.id) });
    expect(await associationsOf('companies', merged.id)).toBeGreaterThan(0);
    await expectMirrorEqualsPortal();
  });

  it('a merge webhook folds the records into the new one and reads it', async () => {
    const live = portal.sandbox.exportFixture().objects.deals!.filter((d) => !d.archived);
    const [a, b] = live.slice(0, 2).map((d) => d.id) as [string, string];
    const changes: { payload: Record<string, unknown>; occurredAt: number }[] = [];
    const stop = portal.sandbox.onChange((change) => {
      if (change.kind === 'merge')
        changes.push({
          occurredAt: change.occurredAt,
          payload: {
            primaryObjectId: Number(change.primaryObjectId),
            mergedObjectIds: change.mergedObjectIds.map(Number),
            newObjectId: Number(change.newObjectId),
          },
        });
    });
    const merged = await control.merge('deals', a, b);
    stop();
    const apply = applyWebhookChanges({ clientFor: () => portal.deps(db.pool).client });
    const client = await db.pool.connect();
    try {
      await apply(
        portal.portalId,
        [
          {
            object: 'deal',
            objectId: Number(a),
            kinds: ['merge'],
            events: changes.map((c, i) => ({
              eventId: `merge-${i}`,
              subscription: 'deal.merge',
              objectId: Number(a),
              occurredAt: new Date(c.occurredAt),
              ownWrite: false,
              payload: c.payload,
            })),
          },
        ],
        { db: client, log: createLogger({ level: 'silent', name: 'test' }) },
      );
    } finally {
      client.release();
    }
    expect(await row('deals', merged.id)).toMatchObject({ archived: false });
    for (const old of [a, b])
      expect(await row('deals', old)).toMatchObject({ archived: true, merged_into_id: Number(merged.id) });
    await expectMirrorEqualsPortal();
  });
});

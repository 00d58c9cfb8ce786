import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertMirrorRecords } from '../../../server/db/repositories/mirror-objects.ts';
import { parseFixture, type Fixture } from '../../../server/sandbox/fixture.ts';
import { runFullSync } from '../../../server/sync/full-sync.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { installedPortal, type InstalledPortal } from './helpers/installed-portal.ts';
import { expectMirrorEqualsFixture, mirrorSnapshot, propertiesNotRequested } from './helpers/mirror-vs-fixture.ts';
import { countsOf, minimumCalls, sandboxCalls } from './helpers/sync-calls.ts';

const FIXTURE = 'tests/fixtures/demo-portal.json';
const fixture: Fixture = parseFixture(JSON.parse(readFileSync(FIXTURE, 'utf8')));
const db = useTestDatabase();
let portal: InstalledPortal;

beforeAll(async () => {
  portal = await installedPortal(db.url, { fixture: FIXTURE });
});
afterAll(async () => {
  await portal?.close();
});

describe('full sync of the demo portal', () => {
  let first: Awaited<ReturnType<typeof mirrorSnapshot>>;

  it('mirrors every object, stage history, association, owner, pipeline and event of the fixture', async () => {
    const callsBefore = sandboxCalls(portal.sandbox);
    const outcome = await runFullSync(portal.deps(db.pool), portal.portalId);
    expect(outcome.status).toBe('succeeded');
    // Every property of the demo fixture is one the definitions read: the comparison is complete.
    expect(propertiesNotRequested(fixture)).toEqual([]);
    await expectMirrorEqualsFixture(db.pool, portal.portalId, fixture);

    const calls = sandboxCalls(portal.sandbox) - callsBefore;
    expect(calls).toBe(minimumCalls(countsOf(fixture)));
    const run = await db.pool.query(
      `SELECT kind, status, records, api_calls, rate_limited, errors, finished_at FROM sync_runs WHERE id = $1`,
      [outcome.runId],
    );
    const live = Object.values(fixture.objects)
      .flat()
      .filter((r) => !r.archived).length;
    expect(run.rows).toEqual([
      {
        kind: 'full',
        status: 'succeeded',
        records: live,
        api_calls: calls,
        rate_limited: 0,
        errors: 0,
        finished_at: expect.any(Date),
      },
    ]);
    first = await mirrorSnapshot(db.pool, portal.portalId);
  });

  it('leaves the same rows when it runs again (a new run that reads everything again)', async () => {
    const outcome = await runFullSync(portal.deps(db.pool), portal.portalId);
    expect(outcome.status).toBe('succeeded');
    expect(await mirrorSnapshot(db.pool, portal.portalId)).toEqual(first);
    const runs = await db.pool.query(`SELECT status FROM sync_runs WHERE portal_id = $1 ORDER BY id`, [
      portal.portalId,
    ]);
    expect(runs.rows.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('never rolls a record back to an older version', async () => {
    const contact = fixture.objects.contacts![0]!;
    const older = new Date(Date.parse(contact.updatedAt) - 60_000).toISOString();
    const written = await upsertMirrorRecords(db.pool, portal.portalId, 'contacts', [
      {
        id: Number(contact.id),
        properties: { email: 'stale@example.com' },
        createdAt: contact.createdAt,
        updatedAt: older,
        archived: false,
      },
    ]);
    expect(written).toEqual([]);
    const row = await db.pool.query(`SELECT email FROM contacts WHERE portal_id = $1 AND id = $2`, [
      portal.portalId,
      Number(contact.id),
    ]);
    expect(row.rows[0].email).toBe(contact.properties.email?.toLowerCase());
  });
});

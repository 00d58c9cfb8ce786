import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFixture, type Fixture } from '../../../server/sandbox/fixture.ts';
import { runFullSync } from '../../../server/sync/full-sync.ts';
import type { HubSpotCaller } from '../../../server/sync/hubspot-caller.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { installedPortal, type InstalledPortal } from './helpers/installed-portal.ts';
import { expectMirrorEqualsFixture } from './helpers/mirror-vs-fixture.ts';
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

/**
 * The portal's client, dying at its `dieAt`-th call: before sending it (a worker killed between
 * pages) or after HubSpot answered but before the page is written (killed mid-page).
 */
function dyingClient(real: HubSpotCaller, dieAt: number, when: 'before' | 'after'): HubSpotCaller {
  let calls = 0;
  return {
    call: async (op, options) => {
      calls++;
      if (calls === dieAt && when === 'before') throw new Error(`worker killed before call ${dieAt}`);
      const result = await real.call(op, options);
      if (calls === dieAt) throw new Error(`worker killed after call ${dieAt}`);
      return result;
    },
  };
}

describe('a full sync interrupted anywhere', () => {
  const minimum = minimumCalls(countsOf(fixture));

  // Calls 1–3 are contacts pages, 4–6 companies, deals and tickets, 7–10 the recycle bins, 11–14
  // association batches, 15 active owners, 16 deactivated owners, 17–18 pipelines, 19 events.
  for (const [dieAt, when] of [
    [3, 'before'],
    [3, 'after'],
    [5, 'after'],
    [7, 'before'],
    [10, 'after'],
    [12, 'after'],
    [15, 'after'],
    [16, 'before'],
    [19, 'after'],
  ] as const) {
    it(`resumes after dying ${when} call ${dieAt}: same rows, no duplicate, committed pages not read again`, async () => {
      const real = portal.deps(db.pool);
      const callsBefore = sandboxCalls(portal.sandbox);
      await expect(
        runFullSync({ ...real, client: dyingClient(real.client, dieAt, when) }, portal.portalId),
      ).rejects.toThrow(/worker killed/);
      const failed = await db.pool.query(
        `SELECT id, status, error_message FROM sync_runs WHERE portal_id = $1 ORDER BY id DESC LIMIT 1`,
        [portal.portalId],
      );
      expect(failed.rows[0]).toMatchObject({ status: 'failed', error_message: expect.stringMatching(/worker killed/) });

      const outcome = await runFullSync(real, portal.portalId);
      expect(outcome).toEqual({ runId: failed.rows[0].id, status: 'succeeded' });
      await expectMirrorEqualsFixture(db.pool, portal.portalId, fixture);
      // Only the page whose answer was lost is read twice.
      expect(sandboxCalls(portal.sandbox) - callsBefore).toBe(minimum + (when === 'after' ? 1 : 0));
      const run = await db.pool.query(`SELECT status, records FROM sync_runs WHERE id = $1`, [outcome.runId]);
      const live = countsOf(fixture);
      expect(run.rows[0]).toEqual({
        status: 'succeeded',
        records: live.contacts + live.companies + live.deals + live.tickets,
      });
    });
  }

  it('leaves every stream of the last run checkpointed as done', async () => {
    const last = await db.pool.query(`SELECT max(id) AS id FROM sync_runs WHERE portal_id = $1`, [portal.portalId]);
    const cursors = await db.pool.query(`SELECT stream, cursor FROM sync_checkpoints WHERE portal_id = $1`, [
      portal.portalId,
    ]);
    // Per type: records and recycle bin; per pair: associations; owners (both listings), pipelines
    // (deals, tickets), events.
    expect(cursors.rows.length).toBe(4 + 4 + 4 + 1 + 2 + 1);
    for (const row of cursors.rows)
      expect(row.cursor, row.stream).toMatchObject({ runId: last.rows[0].id, done: true });
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { saveComputedProperties } from '../../../server/db/repositories/computed-properties.ts';
import { ensureFirstDefinitions } from '../../../server/db/repositories/definitions.ts';
import {
  PassBatchRows,
  recordFindings,
  recordPassBatch,
  type FindingRow,
} from '../../../server/db/repositories/findings.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { evaluatePortalHygiene } from '../../../server/hygiene/evaluate-portal.ts';
import { deletePortalData } from '../../../server/install/delete-portal.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { seedMirror, type MirrorFixture } from '../../helpers/seed-mirror.ts';

/**
 * findings and computed_properties have no foreign key to portals (migration 0020): their writers lock
 * the portal row as the key would, and the portal's deletion removes their rows. Nothing of a deleted
 * portal may be left behind, whenever the deletion comes.
 */
const db = useTestDatabase();
const fixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as MirrorFixture & { now: string };
const now = new Date(fixture.now);

const finding = (objectId: number, code: string): FindingRow => ({
  objectType: 'deal',
  objectId,
  code,
  field: null,
  severity: 'warning',
  proposedFix: `fix ${code}`,
  ownerId: null,
});

async function rowsOf(portalId: number) {
  const { rows } = await db.pool.query<{ findings: number; computed: number; cursors: number; portals: number }>(
    `SELECT (SELECT count(*) FROM findings WHERE portal_id = $1)::int AS findings,
            (SELECT count(*) FROM computed_properties WHERE portal_id = $1)::int AS computed,
            (SELECT count(*) FROM change_cursors WHERE portal_id = $1)::int AS cursors,
            (SELECT count(*) FROM portals WHERE portal_id = $1)::int AS portals`,
    [portalId],
  );
  return rows[0];
}

describe('deleting a portal while hygiene writes', () => {
  it('waits for a write in flight, deletes what it wrote, and a later write finds no portal', async () => {
    const portalId = 7300001;
    await db.pool.query(`INSERT INTO portals (portal_id) VALUES ($1)`, [portalId]);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await saveComputedProperties(client, portalId, 'hygiene', now, [
        { objectType: 'deals', objectId: 1, properties: { clr_compliance_score: '50' } },
      ]);
      await recordFindings(client, portalId, {
        definitionsVersion: 1,
        now,
        evaluated: [{ objectType: 'deal', objectId: 1 }],
        findings: [finding(1, 'a')],
      });
      // The deletion waits for the transaction (it holds the portal row as a foreign key would) ...
      let deleted = false;
      const deletion = deletePortalData(db.pool, portalId, 'test').then(() => (deleted = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(deleted).toBe(false);
      await client.query('COMMIT');
      await deletion;
    } finally {
      client.release();
    }
    // ... and then deletes its rows too; later writes find no portal and write nothing.
    expect(await rowsOf(portalId)).toEqual({ findings: 0, computed: 0, cursors: 0, portals: 0 });
    await saveComputedProperties(db.pool, portalId, 'hygiene', now, [
      { objectType: 'deals', objectId: 2, properties: {} },
    ]);
    await recordFindings(db.pool, portalId, {
      definitionsVersion: 1,
      now,
      evaluated: [{ objectType: 'deal', objectId: 2 }],
      findings: [finding(2, 'a')],
    });
    const rows = new PassBatchRows();
    rows.add(3, { clr_compliance_score: '0' }, null, [finding(3, 'a')]);
    await recordPassBatch(db.pool, portalId, {
      definitionsVersion: 1,
      now,
      range: { objectType: 'deal', fromId: 1, toId: 10 },
      computedType: 'deals',
      rows,
    });
    expect(await rowsOf(portalId)).toEqual({ findings: 0, computed: 0, cursors: 0, portals: 0 });
  });

  // The deletion lands early, midway and late in the pass (batches of 5 records: 45 of them).
  it.each([1, 20, 44])(
    'leaves no row of a portal deleted while a whole-portal pass runs (deleted after batch %i)',
    async (afterBatches) => {
      const portalId = 7300100 + afterBatches;
      await seedMirror(db.pool, { ...fixture, portalId });
      await ensureFirstDefinitions(db.pool, portalId, DEFAULT_DEFINITIONS);
      let batches = 0;
      let deletion: Promise<unknown> | undefined;
      const pass = evaluatePortalHygiene(db.pool, portalId, {
        now,
        batchSize: 5,
        onProgress: () => {
          if (++batches === afterBatches) deletion = deletePortalData(db.pool, portalId, 'test');
        },
      });
      // The pass may finish before the deletion has taken the portal (then the deletion removes all
      // it wrote), or find the portal gone and fail at its end, when it moves the cursor.
      await Promise.allSettled([pass]);
      expect(deletion).toBeDefined();
      await deletion;
      expect(await rowsOf(portalId)).toEqual({ findings: 0, computed: 0, cursors: 0, portals: 0 });
    },
  );
});

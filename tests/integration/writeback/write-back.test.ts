import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributePortal } from '../../../server/attribution/attribute-portal.ts';
import { evaluatePortalHygiene } from '../../../server/hygiene/evaluate-portal.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { runFullSync } from '../../../server/sync/full-sync.ts';
import { BATCH_SIZE, writeBack } from '../../../server/writeback/write-back.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';

const db = useTestDatabase();
let sandbox: Sandbox;
let app: AppUnderTest;
let now: Date;

/** The loop after the sync: evaluate, attribute, then write back. */
async function loop() {
  await evaluatePortalHygiene(db.pool, sandbox.portalId, { now });
  await attributePortal(db.pool, sandbox.portalId, { now });
  return writeBack(db.pool, app.context.clientFor(sandbox.portalId), sandbox.portalId);
}
const batchUpdates = (since = 0) =>
  sandbox.writes.list({ kind: 'write', since }).filter((w) => w.path.endsWith('/batch/update'));

beforeAll(async () => {
  sandbox = await startSandbox({ fixture: 'tests/fixtures/demo-portal.json' });
  now = new Date(sandbox.exportFixture().now);
  app = await startApp({ databaseUrl: db.url, hubspotUrl: sandbox.url });
  expect((await browse(`${app.url}/oauth/install`)).at(-1)!.status).toBe(200);
  await runFullSync({ db: db.pool, client: app.context.clientFor(sandbox.portalId) }, sandbox.portalId);
});
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
});

describe('write-back', () => {
  it('writes the computed values in ceil(N / 100) batch calls per object type, and they land in the portal', async () => {
    const before = sandbox.writes.size;
    const report = await loop();
    const calls = batchUpdates().filter((w) => w.seq > before);
    for (const [objectType, records] of Object.entries(report.records)) {
      const ofType = calls.filter((w) => w.path === `/crm/v3/objects/${objectType}/batch/update`);
      expect(ofType, objectType).toHaveLength(Math.ceil(records / BATCH_SIZE));
      expect(ofType.every((w) => (w.body as { inputs: unknown[] }).inputs.length <= BATCH_SIZE)).toBe(true);
    }
    expect(report.records.contacts).toBe(150);
    expect(report.failed).toEqual([]);
    const { rows } = await db.pool.query<{ object_id: number; properties: Record<string, string> }>(
      `SELECT object_id, properties FROM computed_properties WHERE portal_id = $1 AND object_type = 'deals' AND source = 'hygiene'`,
      [sandbox.portalId],
    );
    const portal = sandbox.exportFixture();
    for (const row of rows) {
      const deal = portal.objects.deals?.find((d) => d.id === String(row.object_id));
      if (!deal) throw new Error(`deal ${row.object_id} is missing from the portal`);
      for (const [property, value] of Object.entries(row.properties)) {
        if (value !== '') expect(deal.properties[property], `deal ${row.object_id} ${property}`).toBe(value);
      }
    }
  });

  it('makes no write call when nothing changed', async () => {
    const before = sandbox.writes.size;
    const report = await loop();
    expect(report.calls).toBe(0);
    expect(batchUpdates(before)).toEqual([]);
  });

  it('writes exactly the one record whose computed values changed, in one call', async () => {
    const { rows } = await db.pool.query<{ id: number }>(
      `SELECT object_id AS id FROM findings WHERE portal_id = $1 AND code = 'missing_field:amount' AND resolved_at IS NULL LIMIT 1`,
      [sandbox.portalId],
    );
    const dealId = rows[0]!.id;
    await db.pool.query(
      `UPDATE deals SET properties = properties || '{"amount":"12000"}' WHERE portal_id = $1 AND id = $2`,
      [sandbox.portalId, dealId],
    );
    const before = sandbox.writes.size;
    const report = await loop();
    const calls = batchUpdates(before);
    expect(calls).toHaveLength(1);
    expect((calls[0]!.body as { inputs: { id: string }[] }).inputs.map((i) => i.id)).toEqual([String(dealId)]);
    expect(report.records).toEqual({ deals: 1 });
  });

  it('writes nothing for a portal that needs re-authorization', async () => {
    await db.pool.query(`UPDATE deals SET properties = properties || '{"amount":"777"}' WHERE portal_id = $1`, [
      sandbox.portalId,
    ]);
    await evaluatePortalHygiene(db.pool, sandbox.portalId, { now });
    await db.pool.query(`UPDATE portals SET status = 'needs_reauth' WHERE portal_id = $1`, [sandbox.portalId]);
    const before = sandbox.writes.size;
    const report = await writeBack(db.pool, app.context.clientFor(sandbox.portalId), sandbox.portalId);
    expect(report.calls).toBe(0);
    expect(sandbox.writes.size).toBe(before);
    // Once the admin reinstalls, what was held back is written: nothing is lost while a portal waits.
    await db.pool.query(`UPDATE portals SET status = 'installed' WHERE portal_id = $1`, [sandbox.portalId]);
    const resumed = await writeBack(db.pool, app.context.clientFor(sandbox.portalId), sandbox.portalId);
    expect(resumed.records.deals).toBeGreaterThan(0);
  });

  it('writes the rest of a batch when HubSpot refuses one record, and reports it without recording it', async () => {
    // Two leads lose their email (a required field), so both get new values in one contacts batch; then
    // contact 1040 disappears from HubSpot (not yet from the mirror), so its values can't be written.
    await db.pool.query(
      `UPDATE contacts SET properties = properties - 'email' WHERE portal_id = $1 AND id IN (1040, 1045)`,
      [sandbox.portalId],
    );
    const token = sandbox.issueAccessToken();
    const archived = await fetch(`${sandbox.url}/crm/v3/objects/contacts/1040`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(archived.status).toBe(204);
    const report = await loop();
    expect(report.failed.map((f) => [f.objectType, f.objectId])).toEqual([['contacts', 1040]]);
    expect(report.records).toEqual({ contacts: 1 });
    const written = sandbox.exportFixture().objects.contacts?.find((c) => c.id === '1045');
    expect(written?.properties.clr_missing_fields).toContain('email');
    const again = await writeBack(db.pool, app.context.clientFor(sandbox.portalId), sandbox.portalId);
    expect(again.failed.map((f) => f.objectId)).toEqual([1040]);
  });
});

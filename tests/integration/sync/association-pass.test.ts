import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFullSync } from '../../../server/sync/full-sync.ts';
import { DEFAULT_CADENCE, runIncrementalSync } from '../../../server/sync/incremental-sync.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { clientFor } from '../../conformance/helpers.ts';
import { installedPortal, type InstalledPortal } from './helpers/installed-portal.ts';
import { expectMirrorEqualsFixture, propertiesNotRequested } from './helpers/mirror-vs-fixture.ts';
import { countsOfSandbox, sandboxCalls } from './helpers/sync-calls.ts';

/**
 * Adding or removing an association moves neither record's last-modified date, so the incremental
 * search can't see it; webhooks carry it (webhook-apply.test.ts). This portal sends no webhooks: the
 * daily association pass is what brings such changes into the mirror, at the full sync's association
 * cost.
 */
const FIXTURE = 'tests/fixtures/demo-portal.json';
const db = useTestDatabase();
let portal: InstalledPortal;

beforeAll(async () => {
  portal = await installedPortal(db.url, { fixture: FIXTURE });
  await runFullSync(portal.deps(db.pool), portal.portalId);
});
afterAll(async () => {
  await portal?.close();
});

const incremental = (cadence = DEFAULT_CADENCE) =>
  runIncrementalSync({ ...portal.deps(db.pool), cadence }, portal.portalId);

async function pairs(type: string, id: string, other: string): Promise<number[]> {
  const { rows } = await db.pool.query<{ id: number }>(
    `SELECT CASE WHEN from_type = $2 THEN to_id ELSE from_id END AS id FROM associations
      WHERE portal_id = $1 AND ((from_type = $2 AND from_id = $3 AND to_type = $4)
         OR (to_type = $2 AND to_id = $3 AND from_type = $4)) ORDER BY 1`,
    [portal.portalId, type, Number(id), other],
  );
  return rows.map((r) => r.id);
}

describe('association changes no webhook brought', () => {
  it('reach the mirror at the daily association pass, not before, for the full sync’s association calls', async () => {
    const client = clientFor(portal.sandbox);
    const state = portal.sandbox.exportFixture();
    const contact = '1040';
    const deal = state.objects.deals!.find(
      (d) => !state.associations.some((a) => a.to.id === d.id && a.from.id === contact),
    )!.id;
    const company = state.associations.find((a) => a.from.id === contact && a.to.type === 'companies')!.to.id;
    const touched = () => [
      portal.sandbox.store.get('contacts', contact)!.updatedAt,
      portal.sandbox.store.get('deals', deal)!.updatedAt,
    ];
    const untouched = touched();
    await client.crm.associations.v4.basicApi.createDefault('contacts', contact, 'deals', deal);
    await client.crm.associations.v4.basicApi.archive('contacts', contact, 'companies', company);
    expect(touched()).toEqual(untouched);

    await incremental();
    expect(await pairs('contacts', contact, 'deals')).not.toContain(Number(deal));
    expect(await pairs('contacts', contact, 'companies')).toContain(Number(company));

    const quietBefore = sandboxCalls(portal.sandbox);
    await incremental();
    const quiet = sandboxCalls(portal.sandbox) - quietBefore;
    const before = sandboxCalls(portal.sandbox);
    await incremental({ ...DEFAULT_CADENCE, associationPassMs: 0 });
    const counts = countsOfSandbox(portal.sandbox);
    const batches = (a: number, b: number) => Math.max(1, Math.ceil(Math.min(a, b) / 1_000));
    expect(sandboxCalls(portal.sandbox) - before - quiet).toBe(
      batches(counts.contacts, counts.companies) +
        batches(counts.contacts, counts.deals) +
        batches(counts.deals, counts.tickets) +
        batches(counts.deals, counts.companies),
    );
    expect(await pairs('contacts', contact, 'deals')).toContain(Number(deal));
    expect(await pairs('contacts', contact, 'companies')).not.toContain(Number(company));
    const now = portal.sandbox.exportFixture();
    await expectMirrorEqualsFixture(db.pool, portal.portalId, now, { ignoredProperties: propertiesNotRequested(now) });

    // Done for the day: the next run makes no association call.
    const after = sandboxCalls(portal.sandbox);
    await incremental();
    expect(sandboxCalls(portal.sandbox) - after).toBe(quiet);
  });
});

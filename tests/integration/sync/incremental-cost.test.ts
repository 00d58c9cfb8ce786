import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSyncRun, finishSyncRunAttempt } from '../../../server/db/repositories/sync-runs.ts';
import { runIncrementalSync } from '../../../server/sync/incremental-sync.ts';
import { syncOwners } from '../../../server/sync/owners.ts';
import { syncPipelines } from '../../../server/sync/pipelines.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { writeGeneratedFixture } from './helpers/generated-fixture.ts';
import { installedPortal, type InstalledPortal } from './helpers/installed-portal.ts';
import { editOnePercent } from './helpers/one-percent-edits.ts';
import { countsOfSandbox, incrementalMinimumCalls, minimumCalls, sandboxCalls } from './helpers/sync-calls.ts';

/**
 * Issue #4: after 1 % of the records change, the incremental sync costs at most 2 % of the full sync's
 * calls. The full sync's calls are the minimum the portal's counts allow (generated-portal.test.ts
 * proves the full sync makes exactly that many on a 20,000-contact portal), so they are derived here
 * rather than spent; the incremental sync is run for real against a mirror that knows the portal's
 * owners and pipelines, as a full sync leaves it. Its calls depend on what changed, not on what the
 * mirror holds.
 *
 * Why 50,000 contacts: an incremental run has a floor (a search per type, the events call, and per
 * changed type one history batch and one association batch per partner type) that 1 % of a smaller
 * portal does not amortise. At 20,000 contacts, 1 % of every type costs 19 calls against the full
 * sync's 614 (3.1 %), which is the fewest those changes allow (generated-portal.test.ts proves that
 * count); 1 % of the contacts alone costs 11 (1.8 %). tests/bench/RESULTS.md has the figures per size.
 */
const CONTACTS = 50_000;
const db = useTestDatabase();
let portal: InstalledPortal;
let remove: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  const generated = await writeGeneratedFixture(CONTACTS, 23);
  remove = generated.remove;
  portal = await installedPortal(
    db.url,
    { fixture: generated.file },
    { budgetLimits: { standard: { max: 2_000, windowMs: 10_000 }, search: { max: 5, windowMs: 1_000 } } },
  );
}, 120_000);
afterAll(async () => {
  await portal?.close();
  await remove();
});

describe(`incremental sync of a generated ${CONTACTS.toLocaleString('en')}-contact portal`, () => {
  it('costs at most 2 % of the full sync’s calls after 1 % of every type changed', async () => {
    // The baseline a finished full sync leaves: its run, and the owners and pipelines it read.
    const deps = portal.deps(db.pool);
    const run = await insertSyncRun(db.pool, portal.portalId, 'full');
    const context = { db: db.pool, client: deps.client, portalId: portal.portalId, runId: run.id };
    await syncOwners(context);
    await syncPipelines(context);
    await finishSyncRunAttempt(db.pool, portal.portalId, run.id, {
      status: 'succeeded',
      calls: { apiCalls: 0, rateLimited: 0, errors: 0 },
      errorMessage: null,
    });

    const changed = await editOnePercent(portal.sandbox);
    const before = sandboxCalls(portal.sandbox);
    const outcome = await runIncrementalSync(deps, portal.portalId);
    expect(outcome.status).toBe('succeeded');
    const calls = sandboxCalls(portal.sandbox) - before;

    const full = minimumCalls(countsOfSandbox(portal.sandbox));
    expect(calls).toBe(incrementalMinimumCalls(changed));
    expect(calls / full).toBeLessThanOrEqual(0.02);
    const mirrored = await db.pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM contacts WHERE portal_id = $1)
            + (SELECT count(*) FROM companies WHERE portal_id = $1)
            + (SELECT count(*) FROM deals WHERE portal_id = $1)
            + (SELECT count(*) FROM tickets WHERE portal_id = $1) AS n`,
      [portal.portalId],
    );
    expect(mirrored.rows[0]!.n).toBe(changed.contacts + changed.companies + changed.deals + changed.tickets);
  }, 120_000);
});

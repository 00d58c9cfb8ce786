import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFixture, type Fixture } from '../../../server/sandbox/fixture.ts';
import { runFullSync } from '../../../server/sync/full-sync.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { installedPortal, type InstalledPortal } from './helpers/installed-portal.ts';
import { expectMirrorEqualsFixture } from './helpers/mirror-vs-fixture.ts';

const FIXTURE = 'tests/fixtures/demo-portal.json';
const fixture: Fixture = parseFixture(JSON.parse(readFileSync(FIXTURE, 'utf8')));
const db = useTestDatabase();
let portal: InstalledPortal;

beforeAll(async () => {
  portal = await installedPortal(db.url, { fixture: FIXTURE, faults: { seed: 7 } });
});
afterAll(async () => {
  await portal?.close();
});

describe('a full sync while HubSpot misbehaves', () => {
  it('completes with the same mirror under 20 % 429, 5 % 5xx and 1 % malformed answers', async () => {
    // After the install: only the sync's reads are faulted.
    const api = /^\/(crm|events)\//;
    portal.sandbox.plugins.faults.set([
      { kind: 'rateLimit', share: 0.2, path: api },
      { kind: 'status', status: 502, share: 0.05 / 0.8, path: api },
      { kind: 'malformed', share: 0.01 / 0.75, path: api },
    ]);
    const outcome = await runFullSync(portal.deps(db.pool), portal.portalId);
    expect(outcome.status).toBe('succeeded');
    await expectMirrorEqualsFixture(db.pool, portal.portalId, fixture);

    const injected = portal.sandbox.plugins.faults.counters();
    expect(injected.byKind.rateLimit).toBeGreaterThan(0);
    const run = await db.pool.query(`SELECT status, api_calls, rate_limited, errors FROM sync_runs WHERE id = $1`, [
      outcome.runId,
    ]);
    expect(run.rows[0]).toMatchObject({
      status: 'succeeded',
      rate_limited: injected.byKind.rateLimit,
      errors: injected.byKind.status,
    });
  });

  it('completes with the same mirror when many answers are 5xx, HTML error pages or cut-off JSON', async () => {
    const api = /^\/(crm|events)\//;
    portal.sandbox.plugins.faults.set([
      { kind: 'status', status: 503, share: 0.2, path: api },
      { kind: 'status', status: 502, html: true, share: 0.1, path: api },
      { kind: 'malformed', share: 0.15, path: api },
    ]);
    const before = portal.sandbox.plugins.faults.counters();
    const outcome = await runFullSync(portal.deps(db.pool), portal.portalId);
    expect(outcome.status).toBe('succeeded');
    await expectMirrorEqualsFixture(db.pool, portal.portalId, fixture);
    const after = portal.sandbox.plugins.faults.counters();
    expect(after.byKind.status - before.byKind.status).toBeGreaterThan(0);
    expect(after.byKind.malformed - before.byKind.malformed).toBeGreaterThan(0);
    portal.sandbox.plugins.faults.clear();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributePortal } from '../../../server/attribution/attribute-portal.ts';
import { evaluatePortalHygiene } from '../../../server/hygiene/evaluate-portal.ts';
import type { Sandbox } from '../../../server/sandbox/server.ts';
import { writeBack } from '../../../server/writeback/write-back.ts';
import type { AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { startLivePortal, type LivePortal } from '../../helpers/live-portal.ts';

const db = useTestDatabase();
let sandbox: Sandbox;
let app: AppUnderTest;
let live: LivePortal;
let now: Date;

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
/** Events received and not yet applied: deliveries not yet moved into the inbox, and inbox events not yet processed. */
const pendingInbox = async () =>
  Number(
    (
      await db.pool.query(
        `SELECT (SELECT count(*) FROM webhook_inbox WHERE processed_at IS NULL)
              + (SELECT count(*) FROM webhook_deliveries) AS n`,
      )
    ).rows[0].n,
  );
/** Deliver what HubSpot has to send, and wait until the app has drained it. */
async function settle(): Promise<void> {
  await sandbox.plugins.webhooks()!.drain();
  await until('the inbox to drain', async () => (await pendingInbox()) === 0);
}
/** The app's loop after the mirror changed. */
async function loop() {
  await evaluatePortalHygiene(db.pool, sandbox.portalId, { now });
  await attributePortal(db.pool, sandbox.portalId, { now });
  return writeBack(db.pool, app.context.clientFor(sandbox.portalId), sandbox.portalId);
}
const readsOfHubSpot = () => sandbox.writes.list({ kind: 'read' }).length;

beforeAll(async () => {
  // The workers sync and drain webhooks; the test runs evaluation, attribution and write-back itself, at
  // the fixture's time, so no job of the workers' own loop can write between its steps.
  live = await startLivePortal(db.url, 'tests/fixtures/demo-portal.json', {
    only: ['sync.full', 'sync.incremental', 'webhooks.drain'],
  });
  ({ sandbox, app } = live);
  now = new Date(sandbox.exportFixture().now);
  await until(
    'the first full sync',
    async () => (await db.pool.query(`SELECT 1 FROM sync_runs WHERE status = 'succeeded'`)).rowCount === 1,
    60_000,
  );
  await settle();
});
afterAll(async () => {
  await live?.close();
});

describe('loop safety', () => {
  it('causes no work with its own write-back: no event comes back, nothing is re-read, nothing is written twice', async () => {
    const inboxBefore = Number((await db.pool.query(`SELECT count(*) AS n FROM webhook_inbox`)).rows[0].n);
    const first = await loop();
    expect(first.calls).toBeGreaterThan(0);
    const reads = readsOfHubSpot();
    await settle();
    // The written-back properties have no subscription (only the app writes them), so HubSpot sends nothing;
    // an event the app caused on a subscribed property would be marked own_write and skipped (webhook tests).
    expect(Number((await db.pool.query(`SELECT count(*) AS n FROM webhook_inbox`)).rows[0].n)).toBe(inboxBefore);
    expect(readsOfHubSpot()).toBe(reads);
    expect((await loop()).calls).toBe(0);
  });

  it('does not write again when a workflow reacts to a written property without changing what the app computes', async () => {
    // A workflow triggered by clr_compliance_status reassigns the contact: the app reads the owner (for the
    // issue log) but computes no written value from it.
    const edited = await fetch(`${sandbox.url}/__sandbox/objects/contacts/1040`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        properties: { hubspot_owner_id: '502' },
        changeSource: 'WORKFLOWS',
        sourceId: 'workflow:77',
      }),
    });
    expect(edited.status).toBe(200);
    await settle();
    const mirrored = await db.pool.query(`SELECT owner_id FROM contacts WHERE id = 1040`);
    expect(mirrored.rows).toEqual([{ owner_id: '502' }]);
    expect((await loop()).calls).toBe(0);
  });

  it('writes exactly once when the workflow changes something the app computes from', async () => {
    // …while another fills a required field, so the computed values really change.
    const edited = await fetch(`${sandbox.url}/__sandbox/objects/contacts/1040`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { email: '' }, changeSource: 'WORKFLOWS', sourceId: 'workflow:78' }),
    });
    expect(edited.status).toBe(200);
    await settle();
    const report = await loop();
    expect(report.calls).toBe(1);
    expect(report.records).toEqual({ contacts: 1 });
    await settle();
    expect((await loop()).calls).toBe(0);
  });
});

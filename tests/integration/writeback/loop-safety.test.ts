import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributePortal } from '../../../server/attribution/attribute-portal.ts';
import { evaluatePortalHygiene } from '../../../server/hygiene/evaluate-portal.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { APP_WEBHOOK_SUBSCRIPTIONS } from '../../../server/webhooks/subscriptions.ts';
import { writeBack } from '../../../server/writeback/write-back.ts';
import { createProcessors } from '../../../workers/processors/registry.ts';
import { startWorkers, type RunningWorkers } from '../../../workers/start-workers.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';

const db = useTestDatabase();
let sandbox: Sandbox;
let app: AppUnderTest;
let workers: RunningWorkers;
let now: Date;

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const pendingInbox = async () =>
  Number((await db.pool.query(`SELECT count(*) AS n FROM webhook_inbox WHERE processed_at IS NULL`)).rows[0].n);
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
  sandbox = await startSandbox({
    fixture: 'tests/fixtures/demo-portal.json',
    webhooks: {
      targetUrl: 'http://127.0.0.1:9/',
      subscriptions: [...APP_WEBHOOK_SUBSCRIPTIONS],
      retry: { maxAttempts: 3, delayMs: () => 50 },
    },
  });
  now = new Date(sandbox.exportFixture().now);
  app = await startApp({ databaseUrl: db.url, hubspotUrl: sandbox.url });
  sandbox.plugins.webhooks()!.setTargetUrl(`${app.url}/webhooks/hubspot`);
  workers = startWorkers({
    env: app.env,
    processors: createProcessors(app.context),
    log: createLogger({ level: 'silent', name: 'test' }),
  });
  expect((await browse(`${app.url}/oauth/install`)).at(-1)!.status).toBe(200);
  await until(
    'the first full sync',
    async () => (await db.pool.query(`SELECT 1 FROM sync_runs WHERE status = 'succeeded'`)).rowCount === 1,
    60_000,
  );
  // The full sync queues the whole portal's evaluation and attribution (and they the write-back); they run
  // on the workers with the real clock, so let them finish before the tests run the loop on the fixture's.
  await until(
    'the jobs after the first sync',
    async () => (await db.pool.query(`SELECT 1 FROM job_intents WHERE status = 'pending'`)).rowCount === 0,
    60_000,
  );
  await settle();
});
afterAll(async () => {
  await workers?.stop();
  await app?.close();
  await sandbox?.close();
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

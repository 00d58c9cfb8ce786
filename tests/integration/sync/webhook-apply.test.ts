import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logging/logger.ts';
import { DEFAULT_APP, startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { APP_WEBHOOK_SUBSCRIPTIONS } from '../../../server/webhooks/subscriptions.ts';
import { createProcessors } from '../../../workers/processors/registry.ts';
import { startWorkers, type RunningWorkers } from '../../../workers/start-workers.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';

const db = useTestDatabase();
let sandbox: Sandbox;
let app: AppUnderTest;
let workers: RunningWorkers;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const contact = async (id: number) =>
  (
    await db.pool.query<{ lifecyclestage: string; archived: boolean }>(
      `SELECT lifecyclestage, archived FROM contacts WHERE id = $1`,
      [id],
    )
  ).rows[0];

beforeAll(async () => {
  sandbox = await startSandbox({
    fixture: 'tests/fixtures/demo-portal.json',
    // Another app installed in the same portal: its writes are not ours, so they must reach the mirror.
    apps: [
      DEFAULT_APP,
      {
        ...DEFAULT_APP,
        clientId: 'other-app',
        clientSecret: 'other-app-secret-000000000000',
        appId: 2_000_002,
        name: 'Other app',
      },
    ],
    webhooks: {
      targetUrl: 'http://127.0.0.1:9/',
      subscriptions: [...APP_WEBHOOK_SUBSCRIPTIONS],
      retry: { maxAttempts: 3, delayMs: () => 50 },
    },
  });
  app = await startApp({ databaseUrl: db.url, hubspotUrl: sandbox.url });
  sandbox.plugins.webhooks()!.setTargetUrl(`${app.url}/webhooks/hubspot`);
  workers = startWorkers({
    env: app.env,
    processors: createProcessors(app.context),
    log: createLogger({ level: 'silent', name: 'test' }),
  });
  expect((await browse(`${app.url}/oauth/install`)).at(-1)!.status).toBe(200);
  await until('the first full sync', async () => (await contact(1040)) ?? undefined, 60_000);
});
afterAll(async () => {
  await workers?.stop();
  await app?.close();
  await sandbox?.close();
});

describe('webhooks applied to the mirror', () => {
  it("a user's edit in HubSpot reaches the mirror, with its stage history", async () => {
    const response = await fetch(`${sandbox.url}/__sandbox/objects/contacts/1040`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { lifecyclestage: 'marketingqualifiedlead' } }),
    });
    expect(response.status).toBe(200);
    await sandbox.plugins.webhooks()!.drain();
    await until('the edit in the mirror', async () =>
      (await contact(1040))?.lifecyclestage === 'marketingqualifiedlead' ? true : undefined,
    );
    const history = await db.pool.query(
      `SELECT value FROM stage_events WHERE object_type = 'contacts' AND object_id = 1040 ORDER BY occurred_at`,
    );
    expect(history.rows.map((r) => r.value)).toEqual(['lead', 'marketingqualifiedlead']);
  });

  it("another app's deletion archives the record in the mirror", async () => {
    const token = sandbox.issueAccessToken(undefined, 'other-app');
    const deleted = await fetch(`${sandbox.url}/crm/v3/objects/contacts/1045`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(deleted.status).toBe(204);
    await sandbox.plugins.webhooks()!.drain();
    await until('the archive', async () => ((await contact(1045))?.archived ? true : undefined));
  });

  it("a privacy deletion removes the contact's rows at once", async () => {
    const deliverer = sandbox.plugins.webhooks()!;
    deliverer.enqueue({
      kind: 'privacyDeletion',
      objectType: 'contacts',
      objectId: '1047',
      occurredAt: Date.now(),
      source: { changeSource: 'GDPR' },
    });
    await deliverer.drain();
    await until('the deletion', async () => ((await contact(1047)) === undefined ? true : undefined));
    const audit = await db.pool.query(`SELECT scope, subject_id, reason FROM deletion_audit`);
    expect(audit.rows).toEqual([{ scope: 'contact', subject_id: 1047, reason: 'contact.privacyDeletion' }]);
  });
});

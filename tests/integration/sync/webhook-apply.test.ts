import { Client } from '@hubspot/api-client';
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
/** The mirror's associations of one record, as `type:id` of the other end, sorted. */
async function associationsOf(type: string, id: number): Promise<string[]> {
  const { rows } = await db.pool.query<{ other: string }>(
    `SELECT CASE WHEN from_type = $1 AND from_id = $2 THEN to_type || ':' || to_id ELSE from_type || ':' || from_id END AS other
       FROM associations WHERE (from_type = $1 AND from_id = $2) OR (to_type = $1 AND to_id = $2) ORDER BY 1`,
    [type, id],
  );
  return rows.map((r) => r.other).sort();
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
  // Finished, associations included: the tests below compare with them.
  await until(
    'the first full sync',
    async () => (await db.pool.query(`SELECT 1 FROM sync_runs WHERE kind = 'full' AND status = 'succeeded'`)).rows[0],
    60_000,
  );
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

  it('a restore in HubSpot brings the record back with its history and associations', async () => {
    // 1045 was deleted above; a user restores it from the recycle bin (contact.restore).
    const restored = await fetch(`${sandbox.url}/__sandbox/objects/contacts/1045/restore`, { method: 'POST' });
    expect(restored.status).toBe(200);
    await sandbox.plugins.webhooks()!.drain();
    await until('the restore', async () => ((await contact(1045))?.archived === false ? true : undefined));
    const hubspot = sandbox.exportFixture();
    const expected = hubspot.associations
      .filter((a) => a.from.type === 'contacts' && a.from.id === '1045' && ['companies', 'deals'].includes(a.to.type))
      .map((a) => `${a.to.type}:${a.to.id}`)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(await associationsOf('contacts', 1045)).toEqual(expected);
    // Its stage history came back with it: one stage event per entry HubSpot lists.
    const record = await fetch(`${sandbox.url}/crm/v3/objects/contacts/1045?propertiesWithHistory=lifecyclestage`, {
      headers: { authorization: `Bearer ${sandbox.issueAccessToken()}` },
    });
    const history = ((await record.json()) as { propertiesWithHistory: { lifecyclestage: { value: string }[] } })
      .propertiesWithHistory.lifecyclestage;
    const events = await db.pool.query(
      `SELECT value FROM stage_events WHERE object_type = 'contacts' AND object_id = 1045 ORDER BY occurred_at`,
    );
    expect(events.rows.map((r) => r.value)).toEqual(history.map((e) => e.value).reverse());
  });

  it('association changes, labelled or not, reach the mirror without re-reading the records', async () => {
    // Another app's changes (the app's own would be dropped as echoes); none moves a last-modified date.
    const other = new Client({ accessToken: sandbox.issueAccessToken(undefined, 'other-app'), basePath: sandbox.url });
    const contactId = 1049;
    const before = await associationsOf('contacts', contactId);
    const previous = before.find((a) => a.startsWith('companies:'))!;
    const state = sandbox.exportFixture();
    const company = state.objects.companies!.map((c) => c.id).find((id) => `companies:${id}` !== previous)!;
    const deal = state.objects.deals!.map((d) => d.id).find((id) => !before.includes(`deals:${id}`))!;
    const seq = sandbox.writes.list().at(-1)?.seq ?? 0;
    const settle = async (what: string, check: (pairs: string[]) => boolean) => {
      await sandbox.plugins.webhooks()!.drain();
      await until(what, async () => (check(await associationsOf('contacts', contactId)) ? true : undefined));
    };

    // Labelled: the "Primary" company moves to a new company (events for the new association, the
    // label leaving the old company, and the label on the new one).
    await other.crm.associations.v4.basicApi.create('contacts', String(contactId), 'companies', company, [
      { associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 1 },
    ]);
    await settle('the labelled association', (pairs) => pairs.includes(`companies:${company}`));
    expect(await associationsOf('contacts', contactId)).toContain(previous);

    // The label goes (associationRemoved: true) but the association stays.
    const label = (typeId: number) =>
      other.crm.associations.v4.batchApi.archiveLabels('contacts', 'companies', {
        inputs: [
          {
            _from: { id: String(contactId) },
            to: { id: company },
            types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: typeId }],
          },
        ],
      });
    await label(1);
    await other.crm.associations.v4.basicApi.createDefault('contacts', String(contactId), 'deals', deal);
    await settle('the unlabelled association', (pairs) => pairs.includes(`deals:${deal}`));
    expect(await associationsOf('contacts', contactId)).toContain(`companies:${company}`);

    // The unlabeled type goes: the association goes.
    await label(279);
    await other.crm.associations.v4.basicApi.archive('contacts', String(contactId), 'deals', deal);
    await settle(
      'the removals',
      (pairs) => !pairs.includes(`companies:${company}`) && !pairs.includes(`deals:${deal}`),
    );
    expect(await associationsOf('contacts', contactId)).toContain(previous);

    // Only the contact's associations were read again (once per change, from the contact's side,
    // though HubSpot sent an event from each end); no record was read again.
    const reads = sandbox.writes.list({ kind: 'read', since: seq }).map((w) => w.path);
    expect(reads.filter((path) => path.startsWith('/crm/v4/associations/')).length).toBeGreaterThan(0);
    expect(reads.filter((path) => path.includes('/batch/read') && path.startsWith('/crm/v3/objects/'))).toEqual([]);
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

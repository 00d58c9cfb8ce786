import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhooksDrain } from '../../../server/jobs/webhooks-drain.job.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { webhookHeaders } from '../../../server/sandbox/webhooks/index.ts';
import { APP_WEBHOOK_SUBSCRIPTIONS } from '../../../server/webhooks/subscriptions.ts';
import { unpackDeliveries } from '../../../server/webhooks/unpack-deliveries.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';

const db = useTestDatabase();
let sandbox: Sandbox;
let app: AppUnderTest;
let targetUrl: string;
/** Every body the sandbox's deliverer sent, exactly as sent. */
const delivered: string[] = [];

const CONTACT_ID = '1040';

beforeAll(async () => {
  sandbox = await startSandbox({
    fixture: 'tests/fixtures/demo-portal.json',
    webhooks: {
      // The app's URL is known only once it listens; set below.
      targetUrl: 'http://127.0.0.1:9/webhooks/hubspot',
      subscriptions: [...APP_WEBHOOK_SUBSCRIPTIONS],
      retry: { maxAttempts: 1 },
      fetch: (input, init) => {
        if (typeof init?.body === 'string') delivered.push(init.body);
        return fetch(input, init);
      },
    },
  });
  app = await startApp({ databaseUrl: db.url, hubspotUrl: sandbox.url });
  targetUrl = `${app.url}/webhooks/hubspot`;
  sandbox.plugins.webhooks()!.setTargetUrl(targetUrl);
  const hops = await browse(`${app.url}/oauth/install`);
  expect(hops.at(-1)!.status).toBe(200);
});
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
});

/** Moves stored deliveries into the inbox, as the drain does first (no worker runs here). */
const unpack = () => unpackDeliveries(db.pool, sandbox.portalId, app.env.HUBSPOT_APP_ID);
/** Events in the inbox once every stored delivery is in it. */
const inboxCount = async () => {
  await unpack();
  return Number((await db.pool.query('SELECT count(*) AS n FROM webhook_inbox')).rows[0].n);
};

/** A user's edit in HubSpot's UI (or, with changeSource/sourceId, an app's), through the sandbox's control API. */
async function editContact(properties: Record<string, string>, source: Record<string, string> = {}) {
  const response = await fetch(`${sandbox.url}/__sandbox/objects/contacts/${CONTACT_ID}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ properties, ...source }),
  });
  expect(response.status).toBe(200);
  await sandbox.plugins.webhooks()!.drain();
}

function event(eventId: number, portalId: number, extra: Record<string, unknown> = {}) {
  return {
    eventId,
    subscriptionId: 1,
    portalId,
    appId: 1_000_001,
    occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: Number(CONTACT_ID),
    propertyName: 'clr_offer_id',
    propertyValue: 'x',
    changeSource: 'CRM_UI',
    ...extra,
  };
}

function post(body: string, headers: Record<string, string>) {
  return fetch(targetUrl, { method: 'POST', headers, body });
}

function signed(body: string, options: { secret?: string; timestamp?: number } = {}) {
  return webhookHeaders(
    options.secret ?? app.env.HUBSPOT_CLIENT_SECRET,
    targetUrl,
    body,
    options.timestamp ?? Date.now(),
  );
}

describe('POST /webhooks/hubspot', () => {
  it("stores a batch the sandbox's deliverer signed and sent, and records a drain for the portal", async () => {
    await editContact({ clr_offer_id: 'offer-42', clr_icp_tier: '' });
    const log = sandbox.plugins.webhooks()!.log();
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((attempt) => attempt.status === 200)).toBe(true);

    await unpack();
    const { rows } = await db.pool.query(
      `SELECT portal_id, subscription, object_id, own_write, payload FROM webhook_inbox ORDER BY event_id`,
    );
    expect(rows).toEqual([
      {
        portal_id: sandbox.portalId,
        subscription: 'contact.propertyChange',
        object_id: Number(CONTACT_ID),
        own_write: false,
        payload: expect.objectContaining({
          propertyName: 'clr_offer_id',
          propertyValue: 'offer-42',
          changeSource: 'CRM_UI',
          portalId: sandbox.portalId,
        }),
      },
    ]);

    const intents = await db.pool.query(`SELECT id, status FROM job_intents WHERE name = $1 AND portal_id = $2`, [
      webhooksDrain.name,
      sandbox.portalId,
    ]);
    expect(intents.rows).toHaveLength(1);
    expect(intents.rows[0]).toMatchObject({ status: 'pending' });
    expect(intents.rows[0].id).toMatch(new RegExp(`^webhooks\\.drain/${sandbox.portalId}/s\\d+$`));
    // Queued in Redis after the answer: wait for it briefly.
    const queue = app.context.queues.get(webhooksDrain.queue);
    await expect
      .poll(async () => (await queue.getJob(intents.rows[0].id))?.name, { timeout: 5_000 })
      .toBe(webhooksDrain.name);
  });

  it('flags events of the app’s own writes so the drain can skip them', async () => {
    await editContact({ clr_offer_id: 'written-by-the-app' }, { changeSource: 'INTEGRATION', sourceId: '1000001' });
    await editContact({ clr_offer_id: 'written-by-another-app' }, { changeSource: 'INTEGRATION', sourceId: '777' });
    await unpack();
    const { rows } = await db.pool.query(
      `SELECT payload->>'propertyValue' AS value, own_write FROM webhook_inbox
        WHERE payload->>'changeSource' = 'INTEGRATION' ORDER BY value`,
    );
    expect(rows).toEqual([
      { value: 'written-by-another-app', own_write: false },
      { value: 'written-by-the-app', own_write: true },
    ]);
  });

  it('stores the events of the same batch delivered twice once', async () => {
    const before = await inboxCount();
    const body = delivered.at(-1)!;
    const again = await post(body, signed(body));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, data: { accepted: 1, ignored: 0 } });
    expect(await inboxCount()).toBe(before);
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const before = await inboxCount();
    const body = JSON.stringify([event(9_000_001, sandbox.portalId)]);
    const cases: [string, string, Record<string, string>][] = [
      ['tampered body', body.replace('"x"', '"y"'), signed(body)],
      ['wrong secret', body, signed(body, { secret: 'not-the-client-secret-000000000' })],
      ['stale timestamp', body, signed(body, { timestamp: Date.now() - 6 * 60_000 })],
      ['future timestamp', body, signed(body, { timestamp: Date.now() + 60_000 })],
      ['missing signature', body, { 'Content-Type': 'application/json' }],
    ];
    for (const [what, sent, headers] of cases) {
      const response = await post(sent, headers);
      expect(response.status, what).toBe(401);
      const answer = (await response.json()) as { ok: boolean; error: { message: string } };
      expect(answer.ok, what).toBe(false);
      expect(answer.error.message, what).toMatch(/signature|timestamp/);
    }
    // The timestamp header missing while v3 is present.
    const { 'X-HubSpot-Request-Timestamp': _dropped, ...noTimestamp } = signed(body);
    expect((await post(body, noTimestamp)).status).toBe(401);
    expect(await inboxCount()).toBe(before);
  });

  it('refuses a validly signed malformed body with 400 saying what was wrong, and stores nothing', async () => {
    const before = await inboxCount();
    const cases: [string, RegExp][] = [
      ['not json', /not JSON/],
      ['{"eventId":1}', /expected array/],
      ['[]', /at least one event/],
      [JSON.stringify([{ ...event(9_000_002, sandbox.portalId), eventId: 'abc' }]), /0\.eventId/],
      [JSON.stringify([event(9_000_003, sandbox.portalId), { eventId: 9_000_004 }]), /1\.portalId/],
    ];
    for (const [body, message] of cases) {
      const response = await post(body, signed(body));
      expect(response.status, body).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message, body).toMatch(message);
    }
    expect(await inboxCount()).toBe(before);
  });

  it('accepts a batch with events of an unknown portal but stores only the known portal’s', async () => {
    const before = await inboxCount();
    const body = JSON.stringify([event(9_000_010, 424_242), event(9_000_011, sandbox.portalId)]);
    const response = await post(body, signed(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, data: { accepted: 1, ignored: 1 } });
    expect(await inboxCount()).toBe(before + 1);
    const unknown = await db.pool.query(
      `SELECT (SELECT count(*) FROM webhook_inbox WHERE portal_id = 424242)
            + (SELECT count(*) FROM webhook_deliveries WHERE portal_id = 424242) AS n`,
    );
    expect(unknown.rows[0].n).toBe(0);
    const intents = await db.pool.query(`SELECT count(*)::int AS n FROM job_intents WHERE portal_id = 424242`);
    expect(intents.rows[0].n).toBe(0);
  });
});

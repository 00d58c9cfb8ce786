import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePortalData } from '../../../server/install/delete-portal.ts';
import { insertDelivery, type DeliveryPart } from '../../../server/db/repositories/webhook-deliveries.ts';
import { signV3 } from '../../../server/http/hubspot-signature.ts';
import { webhookRoutes } from '../../../server/http/routes/webhooks.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { startIntentAttempt } from '../../../server/queue/job-intents.ts';
import { bullPrefix, createQueueSet, type QueueSet } from '../../../server/queue/queue-set.ts';
import { createWebhookIntake } from '../../../server/webhooks/intake.ts';
import { unpackDeliveries } from '../../../server/webhooks/unpack-deliveries.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { uniquePrefix, useRedis } from '../../helpers/redis.ts';
import { serve } from '../../helpers/serve-express.ts';

const db = useTestDatabase();
const redis = useRedis();
const PORTAL = 51;
const OTHER = 52;
const SECRET = 'inbox-store-test-secret-0123456789';
let nextEventId = 1;
let queues: QueueSet;
let http: { url: string; close(): Promise<void> };

beforeAll(async () => {
  await db.pool.query(`INSERT INTO portals (portal_id) VALUES ($1), ($2)`, [PORTAL, OTHER]);
  queues = createQueueSet({ connection: redis.connect(), prefix: bullPrefix(uniquePrefix('inbox')) });
  const log = createLogger({ level: 'silent', name: 'test' });
  const app = express();
  http = await serve(app);
  // Mounted once listening: the route signs against the public URL, which names the port.
  app.use(
    webhookRoutes({
      clientSecret: SECRET,
      publicBaseUrl: http.url,
      intake: createWebhookIntake({ db: db.pool, queues, log }),
      log,
    }),
  );
});
afterAll(async () => {
  await http?.close();
  await queues?.close();
});

function event(portalId: number, extra: Record<string, unknown> = {}) {
  return {
    eventId: nextEventId++,
    subscriptionId: 3,
    portalId,
    appId: 1_000_001,
    occurredAt: Date.parse('2026-11-23T10:00:00Z'),
    subscriptionType: 'deal.propertyChange',
    attemptNumber: 0,
    objectId: 9001,
    propertyName: 'dealstage',
    propertyValue: 'closedwon',
    changeSource: 'CRM_UI',
    ...extra,
  };
}

function partOf(events: ReturnType<typeof event>[]): DeliveryPart {
  return { portalId: events[0]!.portalId, events: JSON.stringify(events), eventCount: events.length };
}

async function drainIntent(portalId: number, id: string) {
  await db.pool.query(
    `INSERT INTO job_intents (id, portal_id, queue, name, payload) VALUES ($1, $2, 'webhooks', 'webhooks.drain', $3)`,
    [id, portalId, JSON.stringify({ portalId })],
  );
}

const stored = async (portalId: number) =>
  Number((await db.pool.query(`SELECT count(*) AS n FROM webhook_inbox WHERE portal_id = $1`, [portalId])).rows[0].n);
const deliveries = async (portalId: number) =>
  Number(
    (await db.pool.query(`SELECT count(*) AS n FROM webhook_deliveries WHERE portal_id = $1`, [portalId])).rows[0].n,
  );
const unpack = (portalId: number) => unpackDeliveries(db.pool, portalId, '1000001');

function post(body: string) {
  const url = `${http.url}/webhooks/hubspot`;
  const timestamp = Date.now();
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signV3('POST', url, body, timestamp, SECRET),
      'x-hubspot-request-timestamp': String(timestamp),
    },
    body,
  });
}

describe('storing a delivery', () => {
  it('stores a portal’s part only into a drain that has not started, and says when it did not', async () => {
    await drainIntent(PORTAL, 'drain-open');
    await drainIntent(OTHER, 'drain-started');
    expect(await startIntentAttempt(db.pool, 'drain-started')).toBe('pending');
    const before = { portal: await deliveries(PORTAL), other: await deliveries(OTHER) };
    expect(await insertDelivery(db.pool, partOf([event(PORTAL)]), { drainIntentId: 'drain-open' })).toEqual({
      accepted: true,
      stored: true,
    });
    expect(await insertDelivery(db.pool, partOf([event(OTHER)]), { drainIntentId: 'drain-started' })).toEqual({
      accepted: true,
      stored: false,
    });
    expect(await insertDelivery(db.pool, partOf([event(424_242)]), { always: true })).toEqual({
      accepted: false,
      stored: false,
    });
    expect({ portal: await deliveries(PORTAL), other: await deliveries(OTHER) }).toEqual({
      portal: before.portal + 1,
      other: before.other,
    });
  });

  it('makes a drain starting while a delivery that joined it is uncommitted wait, then see it', async () => {
    await drainIntent(PORTAL, 'drain-waits');
    const before = await deliveries(PORTAL);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await insertDelivery(client, partOf([event(PORTAL)]), { drainIntentId: 'drain-waits' });
      expect(result).toEqual({ accepted: true, stored: true });
      let started = false;
      const start = startIntentAttempt(db.pool, 'drain-waits').then(() => (started = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(started).toBe(false);
      await client.query('COMMIT');
      await start;
    } finally {
      client.release();
    }
    expect(await deliveries(PORTAL)).toBe(before + 1);
  });

  it('refuses a portal’s deliveries at once when it is uninstalled (no cached answer)', async () => {
    expect(await insertDelivery(db.pool, partOf([event(OTHER)]), { always: true })).toEqual({
      accepted: true,
      stored: true,
    });
    await db.pool.query(`UPDATE portals SET status = 'uninstalled' WHERE portal_id = $1`, [OTHER]);
    expect(await insertDelivery(db.pool, partOf([event(OTHER)]), { always: true })).toEqual({
      accepted: false,
      stored: false,
    });
    await db.pool.query(`UPDATE portals SET status = 'installed' WHERE portal_id = $1`, [OTHER]);
  });

  it('never leaves a delivery behind a portal deleted while it was being stored', async () => {
    await db.pool.query(`INSERT INTO portals (portal_id) VALUES (53)`);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      expect(await insertDelivery(client, partOf([event(53), event(53)]), { always: true })).toMatchObject({
        stored: true,
      });
      // The deletion waits for the delivery (it holds the portal row as a foreign key would) ...
      let deleted = false;
      const deletion = deletePortalData(db.pool, 53, 'test').then(() => (deleted = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(deleted).toBe(false);
      await client.query('COMMIT');
      await deletion;
    } finally {
      client.release();
    }
    // ... and then deletes it too; a later delivery finds no portal.
    expect(await deliveries(53)).toBe(0);
    expect(await insertDelivery(db.pool, partOf([event(53)]), { always: true })).toEqual({
      accepted: false,
      stored: false,
    });
    expect(await deliveries(53)).toBe(0);
  });
});

describe('moving deliveries into the inbox (the drain’s first step)', () => {
  it('stores each event exactly as HubSpot sent it, fields the app does not know included', async () => {
    const sent = [event(PORTAL, { someFieldHubSpotAddsLater: { nested: [1, 'two'] } }), event(PORTAL)];
    await unpack(PORTAL); // what earlier tests left
    await insertDelivery(db.pool, partOf(sent), { always: true });
    expect(await unpack(PORTAL)).toEqual({ deliveries: 1, events: 2, inserted: 2 });
    expect(await deliveries(PORTAL)).toBe(0);
    const { rows } = await db.pool.query(
      `SELECT event_id, subscription, object_id, occurred_at, payload FROM webhook_inbox
        WHERE portal_id = $1 AND event_id = ANY($2) ORDER BY event_id::bigint`,
      [PORTAL, sent.map((e) => String(e.eventId))],
    );
    expect(rows).toEqual(
      sent.map((e) => ({
        event_id: String(e.eventId),
        subscription: 'deal.propertyChange',
        object_id: 9001,
        occurred_at: new Date(e.occurredAt),
        payload: e,
      })),
    );
  });

  it('keeps when each delivery arrived, for the webhook lag', async () => {
    const sent = event(PORTAL);
    await insertDelivery(db.pool, partOf([sent]), { always: true });
    await db.pool.query(`UPDATE webhook_deliveries SET received_at = '2026-11-23T10:00:05Z' WHERE portal_id = $1`, [
      PORTAL,
    ]);
    await unpack(PORTAL);
    const { rows } = await db.pool.query(
      `SELECT received_at FROM webhook_inbox WHERE portal_id = $1 AND event_id = $2`,
      [PORTAL, String(sent.eventId)],
    );
    expect(rows[0].received_at).toEqual(new Date('2026-11-23T10:00:05Z'));
  });
});

describe('POST /webhooks/hubspot', () => {
  it('stores each event as the text HubSpot sent, whatever it holds (\\u0000, a lone surrogate, spacing)', async () => {
    const sent = [event(PORTAL, { propertyValue: 'nul \u0000 inside' }), event(PORTAL, { propertyValue: '\ud800' })];
    const elements = sent.map((e) => JSON.stringify(e, null, 1));
    const response = await post(`[${elements.join(' ,\n')}]`);
    expect(await response.json()).toEqual({ ok: true, data: { accepted: 2, ignored: 0 } });
    await unpack(PORTAL);
    const { rows } = await db.pool.query<{ text: string }>(
      `SELECT payload::text AS text FROM webhook_inbox WHERE portal_id = $1 AND event_id = ANY($2) ORDER BY event_id::bigint`,
      [PORTAL, sent.map((e) => String(e.eventId))],
    );
    expect(rows.map((r) => r.text)).toEqual(elements);
  });

  it('stores non-ASCII text as sent (the signature and the payload both read the body as UTF-8)', async () => {
    const sent = event(PORTAL, { propertyValue: 'Zoë Ünïcode ✓ 名前' });
    const response = await post(JSON.stringify([sent]));
    expect(await response.json()).toEqual({ ok: true, data: { accepted: 1, ignored: 0 } });
    await unpack(PORTAL);
    const { rows } = await db.pool.query(`SELECT payload FROM webhook_inbox WHERE portal_id = $1 AND event_id = $2`, [
      PORTAL,
      String(sent.eventId),
    ]);
    expect(rows[0].payload).toEqual(sent);
  });

  it('stores a redelivered batch’s events once', async () => {
    await unpack(PORTAL);
    const body = JSON.stringify([event(PORTAL), event(PORTAL)]);
    const before = await stored(PORTAL);
    expect(await (await post(body)).json()).toEqual({ ok: true, data: { accepted: 2, ignored: 0 } });
    expect(await (await post(body)).json()).toEqual({ ok: true, data: { accepted: 2, ignored: 0 } });
    expect(await unpack(PORTAL)).toEqual({ deliveries: 2, events: 4, inserted: 2 });
    expect(await stored(PORTAL)).toBe(before + 2);
  });

  it('splits a delivery mixing portals, so no portal’s row holds another’s events', async () => {
    await Promise.all([unpack(PORTAL), unpack(OTHER)]);
    const sent = [event(OTHER), event(PORTAL), event(424_242), event(OTHER, { propertyValue: 'Zoë' })];
    const response = await post(JSON.stringify(sent));
    expect(await response.json()).toEqual({ ok: true, data: { accepted: 3, ignored: 1 } });
    const { rows } = await db.pool.query(
      `SELECT portal_id, events::json AS events, event_count FROM webhook_deliveries
        WHERE portal_id = ANY($1) ORDER BY portal_id`,
      [[PORTAL, OTHER, 424_242]],
    );
    expect(rows).toEqual([
      { portal_id: PORTAL, events: [sent[1]], event_count: 1 },
      { portal_id: OTHER, events: [sent[0], sent[3]], event_count: 2 },
    ]);
  });
});

import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePortalData } from '../../../server/install/delete-portal.ts';
import { insertInboxEvents, type InboxBatch } from '../../../server/db/repositories/webhook-inbox.ts';
import { signV3 } from '../../../server/http/hubspot-signature.ts';
import { webhookRoutes } from '../../../server/http/routes/webhooks.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { startIntentAttempt } from '../../../server/queue/job-intents.ts';
import { bullPrefix, createQueueSet, type QueueSet } from '../../../server/queue/queue-set.ts';
import { createWebhookIntake } from '../../../server/webhooks/intake.ts';
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
      intake: createWebhookIntake({ db: db.pool, queues, log, appId: '1000001' }),
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

function batchOf(events: ReturnType<typeof event>[]): InboxBatch {
  return {
    body: JSON.stringify(events),
    events: events.map((e) => ({
      portalId: e.portalId,
      eventId: String(e.eventId),
      subscription: e.subscriptionType,
      objectId: e.objectId,
      occurredAt: e.occurredAt,
      ownWrite: false,
    })),
  };
}

async function drainIntent(portalId: number, id: string) {
  await db.pool.query(
    `INSERT INTO job_intents (id, portal_id, queue, name, payload) VALUES ($1, $2, 'webhooks', 'webhooks.drain', $3)`,
    [id, portalId, JSON.stringify({ portalId })],
  );
}

const stored = async (portalId: number) =>
  Number((await db.pool.query(`SELECT count(*) AS n FROM webhook_inbox WHERE portal_id = $1`, [portalId])).rows[0].n);

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

describe('storing a delivery in the inbox', () => {
  it('stores each event exactly as HubSpot sent it, fields the app does not know included', async () => {
    const sent = [event(PORTAL, { someFieldHubSpotAddsLater: { nested: [1, 'two'] } }), event(PORTAL)];
    const counts = await insertInboxEvents(db.pool, batchOf(sent), { portals: [PORTAL] });
    expect(counts).toEqual([{ portalId: PORTAL, events: 2, accepted: 2, taken: true, inserted: 2 }]);
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

  it('takes a portal’s events only into a drain that has not started, and says which it left', async () => {
    await drainIntent(PORTAL, 'drain-open');
    await drainIntent(OTHER, 'drain-started');
    expect(await startIntentAttempt(db.pool, 'drain-started')).toBe('pending');
    const before = { portal: await stored(PORTAL), other: await stored(OTHER) };
    const counts = await insertInboxEvents(db.pool, batchOf([event(PORTAL), event(OTHER), event(424_242)]), {
      drains: [
        { portalId: PORTAL, intentId: 'drain-open' },
        { portalId: OTHER, intentId: 'drain-started' },
      ],
    });
    expect(counts).toEqual([
      { portalId: PORTAL, events: 1, accepted: 1, taken: true, inserted: 1 },
      { portalId: OTHER, events: 1, accepted: 1, taken: false, inserted: 0 },
      { portalId: 424_242, events: 1, accepted: 0, taken: false, inserted: 0 },
    ]);
    expect({ portal: await stored(PORTAL), other: await stored(OTHER) }).toEqual({
      portal: before.portal + 1,
      other: before.other,
    });
  });

  it('makes a drain starting while a delivery that joined it is uncommitted wait, then see its events', async () => {
    await drainIntent(PORTAL, 'drain-waits');
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const counts = await insertInboxEvents(client, batchOf([event(PORTAL)]), {
        drains: [{ portalId: PORTAL, intentId: 'drain-waits' }],
      });
      expect(counts[0]).toMatchObject({ taken: true, inserted: 1 });
      let started = false;
      const start = startIntentAttempt(db.pool, 'drain-waits').then(() => (started = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(started).toBe(false);
      await client.query('COMMIT');
      await start;
    } finally {
      client.release();
    }
  });

  it('refuses events of a portal at once when it is uninstalled (no cached answer)', async () => {
    const accepted = await insertInboxEvents(db.pool, batchOf([event(OTHER)]), { portals: [OTHER] });
    expect(accepted[0]).toMatchObject({ accepted: 1, inserted: 1 });
    await db.pool.query(`UPDATE portals SET status = 'uninstalled' WHERE portal_id = $1`, [OTHER]);
    const refused = await insertInboxEvents(db.pool, batchOf([event(OTHER)]), { portals: [OTHER] });
    expect(refused[0]).toMatchObject({ accepted: 0, inserted: 0 });
    await db.pool.query(`UPDATE portals SET status = 'installed' WHERE portal_id = $1`, [OTHER]);
  });

  it('never leaves inbox rows behind a portal deleted while a delivery was being stored', async () => {
    await db.pool.query(`INSERT INTO portals (portal_id) VALUES (53)`);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const counts = await insertInboxEvents(client, batchOf([event(53), event(53)]), { portals: [53] });
      expect(counts[0]).toMatchObject({ accepted: 2, inserted: 2 });
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
    // ... and then deletes its events too; a later delivery finds no portal.
    expect(await stored(53)).toBe(0);
    const later = await insertInboxEvents(db.pool, batchOf([event(53)]), { portals: [53] });
    expect(later[0]).toMatchObject({ accepted: 0, inserted: 0 });
    expect(await stored(53)).toBe(0);
  });
});

describe('POST /webhooks/hubspot', () => {
  it('stores each event as the text HubSpot sent, whatever it holds (\\u0000, a lone surrogate, spacing)', async () => {
    const sent = [event(PORTAL, { propertyValue: 'nul \u0000 inside' }), event(PORTAL, { propertyValue: '\ud800' })];
    const elements = sent.map((e) => JSON.stringify(e, null, 1));
    const response = await post(`[${elements.join(' ,\n')}]`);
    expect(await response.json()).toEqual({ ok: true, data: { stored: 2, duplicates: 0, ignored: 0 } });
    const { rows } = await db.pool.query<{ text: string }>(
      `SELECT payload::text AS text FROM webhook_inbox WHERE portal_id = $1 AND event_id = ANY($2) ORDER BY event_id::bigint`,
      [PORTAL, sent.map((e) => String(e.eventId))],
    );
    expect(rows.map((r) => r.text)).toEqual(elements);
  });

  it('stores non-ASCII text as sent (the signature and the payload both read the body as UTF-8)', async () => {
    const sent = event(PORTAL, { propertyValue: 'Zoë Ünïcode ✓ 名前' });
    const response = await post(JSON.stringify([sent]));
    expect(await response.json()).toEqual({ ok: true, data: { stored: 1, duplicates: 0, ignored: 0 } });
    const { rows } = await db.pool.query(`SELECT payload FROM webhook_inbox WHERE portal_id = $1 AND event_id = $2`, [
      PORTAL,
      String(sent.eventId),
    ]);
    expect(rows[0].payload).toEqual(sent);
  });

  it('stores a redelivered batch once and counts the duplicates', async () => {
    const body = JSON.stringify([event(PORTAL), event(PORTAL)]);
    const first = await post(body);
    expect(await first.json()).toEqual({ ok: true, data: { stored: 2, duplicates: 0, ignored: 0 } });
    const again = await post(body);
    expect(await again.json()).toEqual({ ok: true, data: { stored: 0, duplicates: 2, ignored: 0 } });
  });
});

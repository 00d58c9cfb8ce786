import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockDrainIntent } from '../../../server/db/repositories/webhook-drain-intents.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { startIntentAttempt } from '../../../server/queue/job-intents.ts';
import { bullPrefix, createQueueSet, type QueueSet } from '../../../server/queue/queue-set.ts';
import { parseEventBatch } from '../../../server/webhooks/event-batch.ts';
import { createWebhookIntake, type WebhookIntake } from '../../../server/webhooks/intake.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { uniquePrefix, useRedis } from '../../helpers/redis.ts';

const db = useTestDatabase();
const redis = useRedis();
const PORTAL = 31;
const NOW = Date.parse('2026-11-23T12:00:00.400Z');
let queues: QueueSet;
let intake: WebhookIntake;
let nextEventId = 1;

beforeAll(async () => {
  await db.pool.query(`INSERT INTO portals (portal_id) VALUES ($1), ($2)`, [PORTAL, PORTAL + 1]);
  queues = createQueueSet({ connection: redis.connect(), prefix: bullPrefix(uniquePrefix('webhooks')) });
  intake = createWebhookIntake({
    db: db.pool,
    queues,
    log: createLogger({ level: 'silent', name: 'test' }),
    now: () => NOW,
  });
});
afterAll(async () => {
  await queues?.close();
});

async function deliver(...portalIds: number[]) {
  const body = JSON.stringify(
    portalIds.map((portalId) => ({
      eventId: nextEventId++,
      portalId,
      occurredAt: NOW,
      subscriptionType: 'deal.creation',
      objectId: 5,
      changeSource: 'CRM_UI',
    })),
  );
  const batch = parseEventBatch(body);
  if (!batch.ok) throw new Error(batch.problem);
  const outcome = await intake.store(batch.events, body);
  await outcome.dispatch();
  return outcome;
}

const drainIntents = async () =>
  (
    await db.pool.query<{ id: string; portal_id: number }>(
      `SELECT id, portal_id FROM job_intents WHERE name = 'webhooks.drain' ORDER BY created_at, id`,
    )
  ).rows;

describe('webhooks.drain coalescing', () => {
  it('records one drain per portal per second, however many deliveries arrive', async () => {
    await deliver(PORTAL);
    await deliver(PORTAL, PORTAL + 1);
    await deliver(PORTAL);
    const second = Math.floor(NOW / 1000);
    expect(await drainIntents()).toEqual([
      { id: `webhooks.drain/${PORTAL}/s${second}`, portal_id: PORTAL },
      { id: `webhooks.drain/${PORTAL + 1}/s${second}`, portal_id: PORTAL + 1 },
    ]);
    const job = await queues.get('webhooks').getJob(`webhooks.drain/${PORTAL}/s${second}`);
    expect(job?.data).toEqual({ portalId: PORTAL });
  });

  it('does not join a drain that already started (it may have read the inbox), but records the next one', async () => {
    const second = Math.floor(NOW / 1000);
    expect(await startIntentAttempt(db.pool, `webhooks.drain/${PORTAL}/s${second}`)).toBe('pending');
    await deliver(PORTAL);
    await deliver(PORTAL);
    expect((await drainIntents()).map((i) => i.id)).toEqual([
      `webhooks.drain/${PORTAL}/s${second}`,
      `webhooks.drain/${PORTAL + 1}/s${second}`,
      `webhooks.drain/${PORTAL}/s${second}-1`,
    ]);
  });

  it('lets a redelivery join the waiting drain (which finds its events already in the inbox)', async () => {
    const before = await drainIntents();
    const body = JSON.stringify([
      { eventId: 1, portalId: PORTAL, occurredAt: NOW, subscriptionType: 'deal.creation', objectId: 5 },
    ]);
    const batch = parseEventBatch(body);
    if (!batch.ok) throw new Error(batch.problem);
    const outcome = await intake.store(batch.events, body);
    expect(outcome).toMatchObject({ accepted: 1, ignored: 0 });
    expect(await drainIntents()).toEqual(before);
  });

  it('makes a drain that starts while a delivery is uncommitted wait for it', async () => {
    const second = Math.floor(NOW / 1000);
    const id = `webhooks.drain/${PORTAL + 1}/s${second}`;
    // Hold the lock a delivery holds between joining the drain and committing.
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      expect(await lockDrainIntent(client, PORTAL + 1, id)).toEqual({ status: 'pending', attempts: 0 });
      let started = false;
      const start = startIntentAttempt(db.pool, id).then(() => (started = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(started).toBe(false);
      await client.query('COMMIT');
      await start;
      expect(started).toBe(true);
    } finally {
      client.release();
    }
  });
});

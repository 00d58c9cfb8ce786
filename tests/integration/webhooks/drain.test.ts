import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDelivery } from '../../../server/db/repositories/webhook-deliveries.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { bullPrefix, createQueueSet, type QueueSet } from '../../../server/queue/queue-set.ts';
import type { ApplyObjectChanges, ObjectChanges } from '../../../server/webhooks/object-changes.ts';
import { webhooksDrainProcessor } from '../../../workers/processors/webhooks-drain.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { uniquePrefix, useRedis } from '../../helpers/redis.ts';

const db = useTestDatabase();
const redis = useRedis();
const PORTAL = 41;
let queues: QueueSet;

beforeAll(async () => {
  await db.pool.query(`INSERT INTO portals (portal_id) VALUES ($1), ($2)`, [PORTAL, PORTAL + 1]);
  queues = createQueueSet({ connection: redis.connect(), prefix: bullPrefix(uniquePrefix('drain')) });
});
afterAll(async () => {
  await queues?.close();
});

async function addEvent(portalId: number, eventId: string, subscription: string, objectId: number, ownWrite = false) {
  await db.pool.query(
    `INSERT INTO webhook_inbox (portal_id, event_id, subscription, object_id, occurred_at, payload, own_write)
     VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), $6, $7)`,
    [portalId, eventId, subscription, objectId, 1_700_000_000_000 + Number(eventId), { eventId }, ownWrite],
  );
}

async function drain(apply: ApplyObjectChanges, portalId = PORTAL, passSize = 2) {
  const bound = webhooksDrainProcessor({ apply, passSize, appId: '1000001' }).bind({ portalId });
  if (!bound.ok) throw bound.error;
  await bound.run({
    db: db.pool,
    queues,
    log: createLogger({ level: 'silent', name: 'test' }),
    jobId: 'webhooks.drain/test',
    attempt: 1,
    signal: undefined,
  });
}

const pending = async (portalId: number) =>
  (
    await db.pool.query<{ event_id: string }>(
      `SELECT event_id FROM webhook_inbox WHERE portal_id = $1 AND processed_at IS NULL ORDER BY event_id`,
      [portalId],
    )
  ).rows.map((r) => r.event_id);

describe('webhooks.drain processor', () => {
  it('leaves everything pending when applying fails', async () => {
    await addEvent(PORTAL, '1', 'deal.propertyChange', 7);
    await addEvent(PORTAL, '2', 'deal.propertyChange', 7, true);
    await expect(
      drain(async () => {
        throw new Error('mirror unavailable');
      }),
    ).rejects.toThrow('mirror unavailable');
    expect(await pending(PORTAL)).toEqual(['1', '2']);
  });

  it("applies a portal's pending events per object, oldest first, without the app's echoes, and marks all processed", async () => {
    await addEvent(PORTAL, '3', 'contact.creation', 3);
    await addEvent(PORTAL, '4', 'deal.associationChange', 7);
    await addEvent(PORTAL + 1, '5', 'deal.creation', 9);
    const passes: ObjectChanges[][] = [];
    await drain(async (portalId, changes) => {
      expect(portalId).toBe(PORTAL);
      passes.push([...changes]);
    });
    // Passes of two events: [1, 2 (echo)], [3, 4], then an empty pass ends the run.
    expect(passes.map((pass) => pass.map((c) => [c.object, c.objectId, c.events.map((e) => e.eventId)]))).toEqual([
      [['deal', 7, ['1']]],
      [
        ['contact', 3, ['3']],
        ['deal', 7, ['4']],
      ],
    ]);
    expect(await pending(PORTAL)).toEqual([]);
    expect(await pending(PORTAL + 1)).toEqual(['5']);
  });

  it('first moves stored deliveries into the inbox, so a redelivered event is applied once', async () => {
    const delivery = (eventIds: number[]) =>
      JSON.stringify(
        eventIds.map((eventId) => ({
          eventId,
          portalId: PORTAL,
          occurredAt: 1_700_000_000_000 + eventId,
          subscriptionType: 'deal.propertyChange',
          objectId: 8,
          changeSource: 'CRM_UI',
        })),
      );
    // HubSpot retried the first delivery (events 10 and 11) inside a later one.
    for (const body of [delivery([10, 11]), delivery([10, 11, 12])]) {
      await insertDelivery(
        db.pool,
        { portalId: PORTAL, events: body, eventCount: JSON.parse(body).length },
        { always: true },
      );
    }
    const applied: string[] = [];
    await drain(
      async (_portalId, changes) => {
        applied.push(...changes.flatMap((c) => c.events.map((e) => e.eventId)));
      },
      PORTAL,
      500,
    );
    expect(applied).toEqual(['10', '11', '12']);
    expect(await pending(PORTAL)).toEqual([]);
    const left = await db.pool.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE portal_id = $1`, [
      PORTAL,
    ]);
    expect(left.rows[0].n).toBe(0);
  });
});

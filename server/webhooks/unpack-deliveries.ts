import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { deleteDeliveries, lockPendingDeliveries } from '../db/repositories/webhook-deliveries.ts';
import { insertInboxEvents, type InboxEventKeys } from '../db/repositories/webhook-inbox.ts';
import { eventIdOf, parseEventBatch, type WebhookEvent } from './event-batch.ts';
import { isOwnWrite } from './own-write.ts';

/** Deliveries per transaction: about 5,000 events, a few hundred milliseconds of work. */
const DELIVERIES_PER_TRANSACTION = 50;

export type Unpacked = { deliveries: number; events: number; inserted: number };

/**
 * The drain's first step: moves a portal's stored deliveries into the inbox, one row per event,
 * deduplicated there by event id (a redelivery adds nothing), and deletes each delivery in the same
 * transaction, so an event is in exactly one of the two places. Runs until none is left, deliveries
 * that arrive meanwhile included.
 */
export async function unpackDeliveries(db: pg.Pool, portalId: number, appId: string): Promise<Unpacked> {
  const total: Unpacked = { deliveries: 0, events: 0, inserted: 0 };
  for (;;) {
    const chunk = await withTransaction(db, async (client) => {
      const deliveries = await lockPendingDeliveries(client, portalId, DELIVERIES_PER_TRANSACTION);
      const done: Unpacked = { deliveries: deliveries.length, events: 0, inserted: 0 };
      for (const delivery of deliveries) {
        // Validated when it arrived; parsing again here is what keeps the stored row the source of truth.
        const parsed = parseEventBatch(delivery.events);
        if (!parsed.ok) throw new Error(`stored webhook delivery ${delivery.id} no longer parses: ${parsed.problem}`);
        done.events += parsed.events.length;
        done.inserted += await insertInboxEvents(client, {
          portalId,
          body: delivery.events,
          events: parsed.events.map((event) => keysOf(event, appId)),
          receivedAt: delivery.receivedAt,
        });
      }
      if (deliveries.length > 0)
        await deleteDeliveries(
          client,
          portalId,
          deliveries.map((d) => d.id),
        );
      return done;
    });
    total.deliveries += chunk.deliveries;
    total.events += chunk.events;
    total.inserted += chunk.inserted;
    if (chunk.deliveries < DELIVERIES_PER_TRANSACTION) return total;
  }
}

function keysOf(event: WebhookEvent, appId: string): InboxEventKeys {
  return {
    eventId: eventIdOf(event),
    subscription: event.subscriptionType,
    objectId: event.objectId ?? null,
    occurredAt: event.occurredAt,
    ownWrite: isOwnWrite(event, appId),
  };
}

import type pg from 'pg';
import type { Logger } from '../logging/logger.ts';

/**
 * The seam between the webhook drain and the sync: the drain reads a portal's pending inbox events,
 * drops the app's own echoes and hands the rest over grouped per object; the sync applies them to the
 * mirror (`ApplyObjectChanges`, provided by the sync). Pure: grouping only.
 */

export type WebhookObject = 'contact' | 'company' | 'deal' | 'ticket';

/** One pending inbox row, as the drain reads it. */
export type PendingInboxEvent = {
  eventId: string;
  subscription: string;
  objectId: number | null;
  occurredAt: Date;
  ownWrite: boolean;
  /** The event as HubSpot sent it (propertyName/propertyValue, merge and association fields…). */
  payload: Record<string, unknown>;
};

/**
 * Everything that happened to one object in this drain, oldest first. `kinds` says what the sync has
 * to do (a deletion or a privacy deletion needs no fetch; any other kind means "re-read the object",
 * once, however many events it had).
 */
export type ObjectChanges = {
  object: WebhookObject;
  objectId: number;
  kinds: string[];
  events: PendingInboxEvent[];
};

/**
 * Applies a portal's changes to the mirror, inside the drain's transaction (`db`), so the changes and
 * the rows marked processed commit together. Must be idempotent: a drain that fails is retried with
 * the same events. Throwing leaves every event of the pass pending.
 */
export type ApplyObjectChanges = (
  portalId: number,
  changes: readonly ObjectChanges[],
  context: { db: pg.PoolClient; log: Logger },
) => Promise<void>;

const OBJECTS = new Set<string>(['contact', 'company', 'deal', 'ticket']);

/**
 * Groups events per object in order of first appearance, skipping the app's own writes and events the
 * app has no use for (an unknown subscription type, no object id). Returns the groups and the number
 * of skipped events.
 */
export function coalesceByObject(events: readonly PendingInboxEvent[]): { changes: ObjectChanges[]; skipped: number } {
  const byKey = new Map<string, ObjectChanges>();
  let skipped = 0;
  for (const event of events) {
    const [object, kind] = event.subscription.split('.') as [string, string | undefined];
    if (event.ownWrite || event.objectId === null || !OBJECTS.has(object) || kind === undefined) {
      skipped++;
      continue;
    }
    const key = `${object}/${event.objectId}`;
    let group = byKey.get(key);
    if (!group) {
      group = { object: object as WebhookObject, objectId: event.objectId, kinds: [], events: [] };
      byKey.set(key, group);
    }
    if (!group.kinds.includes(kind)) group.kinds.push(kind);
    group.events.push(event);
  }
  return { changes: [...byKey.values()], skipped };
}

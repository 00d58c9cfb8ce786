import { withTransaction } from '../../server/db/pool.ts';
import { lockPendingInboxEvents, markInboxEventsProcessed } from '../../server/db/repositories/webhook-inbox.ts';
import { webhooksDrain } from '../../server/jobs/webhooks-drain.job.ts';
import { enqueueChangeConsumers } from '../../server/queue/change-consumers.ts';
import { coalesceByObject, type ApplyObjectChanges } from '../../server/webhooks/object-changes.ts';
import { unpackDeliveries } from '../../server/webhooks/unpack-deliveries.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';

export type WebhooksDrainDeps = {
  /** Provided by the sync: applies one pass's changes to the mirror (server/webhooks/object-changes.ts). */
  apply: ApplyObjectChanges;
  /** HUBSPOT_APP_ID: recognises the app's own writes among the events. */
  appId: string;
  /** Events per pass (one transaction each). */
  passSize?: number;
};

const DEFAULT_PASS_SIZE = 500;

/**
 * Drains a portal's webhook inbox. First the stored deliveries are moved into the inbox, one row per
 * event, deduplicated by event id (`unpackDeliveries`); then pass after pass of the oldest pending
 * events, each pass one transaction that applies the changes (grouped per object, the app's own
 * echoes dropped) and marks every event of the pass processed, echoes included. Before each pass the
 * deliveries that arrived meanwhile are moved in too, so events are applied in the order they came.
 * Stops when a pass finds fewer than a full pass, so one run takes everything pending.
 */
export function webhooksDrainProcessor(deps: WebhooksDrainDeps): ProcessorEntry {
  const passSize = deps.passSize ?? DEFAULT_PASS_SIZE;
  return defineProcessor(webhooksDrain, async ({ portalId }, context) => {
    let processed = 0;
    let skipped = 0;
    let duplicates = 0;
    for (;;) {
      if (context.signal?.aborted) break; // the job runs again; what is done stays done.
      const unpacked = await unpackDeliveries(context.db, portalId, deps.appId);
      duplicates += unpacked.events - unpacked.inserted;
      const pass = await withTransaction(context.db, async (client) => {
        const events = await lockPendingInboxEvents(client, portalId, passSize);
        if (events.length === 0) return { events: 0, skipped: 0 };
        const { changes, skipped } = coalesceByObject(events);
        if (changes.length > 0) await deps.apply(portalId, changes, { db: client, log: context.log });
        await markInboxEventsProcessed(
          client,
          portalId,
          events.map((e) => e.eventId),
        );
        return { events: events.length, skipped };
      });
      processed += pass.events;
      skipped += pass.skipped;
      if (pass.events < passSize) break;
    }
    context.log.debug({ portalId, processed, skipped, duplicates }, 'webhook inbox drained');
    // What the batch changed is re-evaluated (and re-attributed) with what depends on it.
    if (processed > skipped) await enqueueChangeConsumers(context, portalId);
  });
}

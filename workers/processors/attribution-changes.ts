import { attributePendingChanges } from '../../server/attribution/attribute-changes.ts';
import { attributionChanges } from '../../server/jobs/attribution-changes.job.ts';
import { reportingRefresh } from '../../server/jobs/reporting-refresh.job.ts';
import { enqueue } from '../../server/queue/enqueue.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';

const MINUTE_MS = 60_000;

/** Recomputes attribution for what changed in one portal's mirror; `clock` pins "now" (the demo). */
export function attributionChangesProcessor(deps: { clock?: () => Date } = {}): ProcessorEntry {
  return defineProcessor(attributionChanges, async ({ portalId }, context) => {
    const summary = await attributePendingChanges(context.db, portalId, {
      now: deps.clock?.() ?? new Date(),
      signal: context.signal,
    });
    context.log.info({ portalId, ...summary }, 'attribution caught up with changes');
    if (summary.batches === 0) return;
    // The refresh re-derives only the records changed since the last one; at most one a minute, so a
    // burst of webhook batches makes one refresh, and reports trail HubSpot by about a minute.
    const minute = Math.floor(Date.now() / MINUTE_MS);
    await enqueue(context, reportingRefresh, { portalId }, { runKey: `changes-${minute}` });
  });
}

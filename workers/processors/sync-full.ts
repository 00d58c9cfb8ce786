import type { CallCounts } from '../../server/hubspot/call-counters.ts';
import type { HubSpotCaller } from '../../server/sync/hubspot-caller.ts';
import { withPortalLock, withPortalLockIfFree } from '../../server/db/portal-lock.ts';
import { attributionCompute } from '../../server/jobs/attribution-compute.job.ts';
import { hygieneEvaluate } from '../../server/jobs/hygiene-evaluate.job.ts';
import { syncFull } from '../../server/jobs/sync-full.job.ts';
import { enqueue } from '../../server/queue/enqueue.ts';
import { runFullSync } from '../../server/sync/full-sync.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';

export type SyncFullDeps = {
  clientFor: (portalId: number) => HubSpotCaller;
  counters?: { read(portalId: number): Promise<CallCounts> };
};

/**
 * `sync.full`: mirrors a portal's CRM; a retry resumes the run from its checkpoints.
 *
 * One full sync per portal at a time across every worker: if another worker is already running one
 * (a second install signal, an operator's re-run, a job BullMQ handed out again), that run reads
 * everything this one would, so this one ends at once instead of reading the same pages again. The
 * full sync also waits for a running incremental sync of the portal (short) before it starts.
 */
export function syncFullProcessor(deps: SyncFullDeps): ProcessorEntry {
  return defineProcessor(syncFull, async ({ portalId }, context) => {
    const locked = await withPortalLockIfFree(context.db, 'sync-full', portalId, () =>
      withPortalLock(
        context.db,
        'sync',
        portalId,
        () =>
          runFullSync(
            {
              db: context.db,
              client: deps.clientFor(portalId),
              ...(deps.counters ? { counters: deps.counters } : {}),
              signal: context.signal,
            },
            portalId,
          ),
        { signal: context.signal },
      ),
    );
    if (!locked.acquired) {
      context.log.info({ portalId }, 'another worker is running this portal’s full sync; it covers this job');
      return;
    }
    const outcome = locked.value;
    context.log.info({ portalId, ...outcome }, 'full sync finished');
    if (outcome.status !== 'succeeded') return;
    // A whole mirror is new: evaluate and attribute the whole portal (cheaper than change by change).
    const runKey = `sync-full-${outcome.runId}`;
    await enqueue(context, hygieneEvaluate, { portalId }, { runKey });
    await enqueue(context, attributionCompute, { portalId }, { runKey });
  });
}

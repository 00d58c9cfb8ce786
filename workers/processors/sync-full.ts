import type { CallCounts } from '../../server/hubspot/call-counters.ts';
import type { HubSpotCaller } from '../../server/sync/hubspot-caller.ts';
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

/** `sync.full`: mirrors a portal's CRM; a retry resumes the run from its checkpoints. */
export function syncFullProcessor(deps: SyncFullDeps): ProcessorEntry {
  return defineProcessor(syncFull, async ({ portalId }, context) => {
    const outcome = await runFullSync(
      {
        db: context.db,
        client: deps.clientFor(portalId),
        ...(deps.counters ? { counters: deps.counters } : {}),
        signal: context.signal,
      },
      portalId,
    );
    context.log.info({ portalId, ...outcome }, 'full sync finished');
    if (outcome.status !== 'succeeded') return;
    // A whole mirror is new: evaluate and attribute the whole portal (cheaper than change by change).
    const runKey = `sync-full-${outcome.runId}`;
    await enqueue(context, hygieneEvaluate, { portalId }, { runKey });
    await enqueue(context, attributionCompute, { portalId }, { runKey });
  });
}

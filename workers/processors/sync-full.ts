import type { CallCounts } from '../../server/hubspot/call-counters.ts';
import type { HubSpotCaller } from '../../server/sync/hubspot-caller.ts';
import { syncFull } from '../../server/jobs/sync-full.job.ts';
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
  });
}

import { syncIncremental } from '../../server/jobs/sync-incremental.job.ts';
import { enqueueChangeConsumers } from '../../server/queue/change-consumers.ts';
import { runIncrementalSync } from '../../server/sync/incremental-sync.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';
import type { SyncFullDeps } from './sync-full.ts';

/** `sync.incremental`: reads what changed since the portal's checkpoints (scheduled every 15 min). */
export function syncIncrementalProcessor(deps: SyncFullDeps): ProcessorEntry {
  return defineProcessor(syncIncremental, async ({ portalId }, context) => {
    const outcome = await runIncrementalSync(
      {
        db: context.db,
        client: deps.clientFor(portalId),
        ...(deps.counters ? { counters: deps.counters } : {}),
        signal: context.signal,
      },
      portalId,
    );
    context.log.info({ portalId, ...outcome }, 'incremental sync finished');
    await enqueueChangeConsumers(context, portalId);
  });
}

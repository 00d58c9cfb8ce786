import { withPortalLockIfFree } from '../../server/db/portal-lock.ts';
import { syncIncremental } from '../../server/jobs/sync-incremental.job.ts';
import { enqueueChangeConsumers } from '../../server/queue/change-consumers.ts';
import { runIncrementalSync } from '../../server/sync/incremental-sync.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';
import type { SyncFullDeps } from './sync-full.ts';

/**
 * `sync.incremental`: reads what changed since the portal's checkpoints (scheduled every 15 min).
 * If another worker is syncing the portal (a full sync, or an incremental run that outlasted its
 * interval), this run reads nothing: the checkpoints only move forward, so the next run picks up
 * whatever this one would have read.
 */
export function syncIncrementalProcessor(deps: SyncFullDeps): ProcessorEntry {
  return defineProcessor(syncIncremental, async ({ portalId }, context) => {
    const locked = await withPortalLockIfFree(context.db, 'sync', portalId, () =>
      runIncrementalSync(
        {
          db: context.db,
          client: deps.clientFor(portalId),
          ...(deps.counters ? { counters: deps.counters } : {}),
          signal: context.signal,
        },
        portalId,
      ),
    );
    if (!locked.acquired) {
      context.log.info({ portalId }, 'another worker is syncing this portal; the next run reads what this one would');
      return;
    }
    context.log.info({ portalId, ...locked.value }, 'incremental sync finished');
    await enqueueChangeConsumers(context, portalId);
  });
}

import { findPortal } from '../../server/db/repositories/portals.ts';
import type { DeletionReport } from '../../server/install/delete-portal.ts';
import { PORTAL_PURGE_SCHEDULE, portalPurge } from '../../server/jobs/portal-purge.job.ts';
import { removePortalSchedules } from '../../server/queue/portal-schedules.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';

export type PortalPurgeDeps = {
  graceMs: number;
  uninstall: (portalId: number, reason: string) => Promise<DeletionReport>;
  clock?: () => number;
};

/**
 * Deletes a portal that has not answered for the whole grace period. Idempotent: a portal already
 * gone, or installed again, only loses this schedule.
 */
export function portalPurgeProcessor(deps: PortalPurgeDeps): ProcessorEntry {
  return defineProcessor(portalPurge, async ({ portalId }, context) => {
    const portal = await findPortal(context.db, portalId);
    if (!portal || portal.status === 'installed') {
      await removePortalSchedules({ db: context.db, queues: context.queues }, portalId, [PORTAL_PURGE_SCHEDULE]);
      return;
    }
    const waitedMs = (deps.clock ?? Date.now)() - portal.statusChangedAt.getTime();
    if (waitedMs < deps.graceMs) return;
    const hours = Math.round(deps.graceMs / 3_600_000);
    const report = await deps.uninstall(portalId, `portal ${portal.status} for more than ${hours} h`);
    context.log.info({ portalId, rowCounts: report.rowCounts }, 'portal deleted after its grace period');
  });
}

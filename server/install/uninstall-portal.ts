import type { QueueDeps } from '../queue/deps.ts';
import { removePortalSchedules } from '../queue/portal-schedules.ts';
import { deletePortalData, type DeletionReport } from './delete-portal.ts';

export type UninstallDeps = {
  queueDeps: QueueDeps;
  /** Forget the portal's Redis state (budget windows, call counters). */
  forgetRedisState: (portalId: number) => Promise<void>;
};

/**
 * Removes a portal for good: its schedules first (so no job starts for it while its data goes), then
 * every row of it in Postgres with an audit row, then its Redis state. Safe to run twice.
 */
export async function uninstallPortal(deps: UninstallDeps, portalId: number, reason: string): Promise<DeletionReport> {
  await removePortalSchedules(deps.queueDeps, portalId);
  const report = await deletePortalData(deps.queueDeps.db, portalId, reason);
  await deps.forgetRedisState(portalId);
  return report;
}

import type { AnyJobDefinition } from '../jobs/definition.ts';
import { JOB_DEFINITIONS } from '../jobs/registry.ts';
import type { QueueDeps } from './deps.ts';
import { requeuePendingIntents, type RequeueReport } from './requeue-pending-intents.ts';
import { syncSchedulers, type SchedulerReport } from './schedulers.ts';

export type ReconcileReport = RequeueReport & SchedulerReport;

/**
 * Makes Redis agree with Postgres: every pending intent is queued (under its id, so nothing runs
 * twice because of this) and every `job_schedules` row has its scheduler, and no other scheduler
 * exists. Safe to run at any time and from several processes at once; workers run it on start and
 * whenever Redis comes back, since these machines run Redis without persistence.
 */
export async function reconcile(
  deps: QueueDeps & { readonly definitions?: readonly AnyJobDefinition[] },
): Promise<ReconcileReport> {
  const withDefinitions = { ...deps, definitions: deps.definitions ?? JOB_DEFINITIONS };
  const requeued = await requeuePendingIntents(withDefinitions);
  const schedulers = await syncSchedulers(withDefinitions);
  const report = { ...requeued, ...schedulers };
  deps.log?.info(report, 'queues reconciled with Postgres');
  return report;
}

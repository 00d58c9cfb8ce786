import { hygieneEvaluate } from '../jobs/hygiene-evaluate.job.ts';
import { loopDigest } from '../jobs/loop-digest.job.ts';
import { loopReview } from '../jobs/loop-review.job.ts';
import { loopSnapshot } from '../jobs/loop-snapshot.job.ts';
import { syncIncremental } from '../jobs/sync-incremental.job.ts';
import type { Cadence } from '../queue/job-schedules.ts';
import type { QueueDeps } from '../queue/deps.ts';
import { addPortalSchedule } from '../queue/portal-schedules.ts';

/**
 * A portal's loop cadence: every recurring run of an installed portal, as durable schedules
 * (`job_schedules` rows and their BullMQ job schedulers; reconcile re-creates them after a restart,
 * uninstall removes them). Cron patterns are UTC; the weekly, monthly and quarterly runs come after the
 * daily evaluation (03:15), so each reads a fresh issue log.
 */

/** How often a portal's incremental sync runs; webhooks fill in between. */
export const INCREMENTAL_SYNC_EVERY_MS = 15 * 60_000;
/** Every day at 03:15 UTC, a quiet hour for most portals' users. */
export const DAILY_EVALUATION_CRON = '15 3 * * *';
/** Mondays at 07:00 UTC: the digest and its tasks are there when the week starts. */
export const WEEKLY_DIGEST_CRON = '0 7 * * 1';
/** The 1st of each month at 04:00 UTC: the KPIs the month opens with. */
export const MONTHLY_SNAPSHOT_CRON = '0 4 1 * *';
/** The first day of each quarter at 08:00 UTC: the reminder to review the definitions. */
export const QUARTERLY_REVIEW_CRON = '0 8 1 1,4,7,10 *';

type CadenceEntry = {
  key: string;
  definition:
    typeof syncIncremental | typeof hygieneEvaluate | typeof loopDigest | typeof loopSnapshot | typeof loopReview;
  cadence: Cadence;
};

const PORTAL_CADENCE: readonly CadenceEntry[] = [
  { key: 'sync.incremental', definition: syncIncremental, cadence: { everyMs: INCREMENTAL_SYNC_EVERY_MS } },
  // Changes are evaluated as they arrive; this run is for the rules that read the clock (SLAs, days in stage).
  { key: 'hygiene.daily', definition: hygieneEvaluate, cadence: { cron: DAILY_EVALUATION_CRON } },
  { key: 'loop.digest', definition: loopDigest, cadence: { cron: WEEKLY_DIGEST_CRON } },
  { key: 'loop.snapshot', definition: loopSnapshot, cadence: { cron: MONTHLY_SNAPSHOT_CRON } },
  { key: 'loop.review', definition: loopReview, cadence: { cron: QUARTERLY_REVIEW_CRON } },
];

/** Adds (or replaces) every recurring run of the portal; for install. Each takes just the portal id. */
export async function addPortalCadence(deps: QueueDeps, portalId: number): Promise<void> {
  for (const { key, definition, cadence } of PORTAL_CADENCE) {
    await addPortalSchedule(deps, { portalId, key, definition, payload: { portalId }, cadence });
  }
}

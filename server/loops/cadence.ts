import { loopDigest } from '../jobs/loop-digest.job.ts';
import { loopReview } from '../jobs/loop-review.job.ts';
import { loopSnapshot } from '../jobs/loop-snapshot.job.ts';
import type { QueueDeps } from '../queue/deps.ts';
import { addPortalSchedule } from '../queue/portal-schedules.ts';

/**
 * The loop's weekly, monthly and quarterly runs of a portal, as durable schedules (`job_schedules` rows
 * and their BullMQ job schedulers; reconcile re-creates them after a restart, uninstall removes them).
 * Cron patterns are UTC and run after the daily evaluation (03:15), so each run reads a fresh issue log.
 */

/** Mondays at 07:00 UTC: the digest and its tasks are there when the week starts. */
export const WEEKLY_DIGEST_CRON = '0 7 * * 1';
/** The 1st of each month at 04:00 UTC: the KPIs the month opens with. */
export const MONTHLY_SNAPSHOT_CRON = '0 4 1 * *';
/** The first day of each quarter at 08:00 UTC: the reminder to review the definitions. */
export const QUARTERLY_REVIEW_CRON = '0 8 1 1,4,7,10 *';

export const LOOP_SCHEDULE_KEYS = ['loop.digest', 'loop.snapshot', 'loop.review'] as const;

/** Adds (or replaces) the portal's loop schedules; for install, next to the sync and daily evaluation. */
export async function addLoopSchedules(deps: QueueDeps, portalId: number): Promise<void> {
  await addPortalSchedule(deps, {
    portalId,
    key: 'loop.digest',
    definition: loopDigest,
    payload: { portalId },
    cadence: { cron: WEEKLY_DIGEST_CRON },
  });
  await addPortalSchedule(deps, {
    portalId,
    key: 'loop.snapshot',
    definition: loopSnapshot,
    payload: { portalId },
    cadence: { cron: MONTHLY_SNAPSHOT_CRON },
  });
  await addPortalSchedule(deps, {
    portalId,
    key: 'loop.review',
    definition: loopReview,
    payload: { portalId },
    cadence: { cron: QUARTERLY_REVIEW_CRON },
  });
}

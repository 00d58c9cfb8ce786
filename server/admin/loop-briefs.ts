import {
  DAILY_EVALUATION_CRON,
  INCREMENTAL_SYNC_EVERY_MS,
  MONTHLY_SNAPSHOT_CRON,
  QUARTERLY_REVIEW_CRON,
  WEEKLY_DIGEST_CRON,
} from '../loops/cadence.ts';
import type { Cadence } from '../queue/job-schedules.ts';
import type { LoopBrief, LoopId, SyncRunBrief } from './settings-summary-contract.ts';
import { scheduleText } from './schedule-text.ts';

/** Each recurring loop's cadence. */
export type LoopCadences = Record<LoopId, Cadence>;

/** The cadences server/loops/cadence.ts schedules every installed portal with. */
export const LOOP_CADENCES: LoopCadences = {
  incremental_sync: { everyMs: INCREMENTAL_SYNC_EVERY_MS },
  hygiene_evaluation: { cron: DAILY_EVALUATION_CRON },
  weekly_digest: { cron: WEEKLY_DIGEST_CRON },
  monthly_snapshot: { cron: MONTHLY_SNAPSHOT_CRON },
  quarterly_review: { cron: QUARTERLY_REVIEW_CRON },
};

/** What each loop's own records say about its last run (undefined: none yet). */
export type LoopRecords = {
  lastIncremental: SyncRunBrief | undefined;
  /** The last whole-portal pass, and the hygiene cursor's last move (that pass or a batch of changes). */
  hygiene: { fullPassAt: Date | undefined; lastEvaluatedAt: Date } | undefined;
  digest:
    { week: string; generatedAt: Date; tasks: { status: 'pending' | 'sending' | 'created' | 'failed' }[] } | undefined;
  snapshot: { month: string; takenAt: Date } | undefined;
  review: { sourceKey: string; createdAt: Date; dueOn: string; status: 'open' | 'done' | 'dropped' } | undefined;
};

const LABELS: Record<LoopId, string> = {
  incremental_sync: 'Incremental sync',
  hygiene_evaluation: 'Hygiene evaluation',
  weekly_digest: 'Weekly digest',
  monthly_snapshot: 'Monthly KPI snapshot',
  quarterly_review: 'Quarterly definitions review',
};

/**
 * The last run of each loop, in the order a loop turns (sync, evaluation, digest, snapshot, review).
 * Pure: the caller reads each loop's records. A digest is `running` while any of its tasks is still
 * to be delivered and `failed` once HubSpot refused one; the other loops' records exist only once a
 * run committed, so they are `succeeded`.
 */
export function loopBriefs(records: LoopRecords, cadences: LoopCadences = LOOP_CADENCES): LoopBrief[] {
  const brief = (loop: LoopId, run: Omit<LoopBrief, 'loop' | 'label' | 'schedule'> | undefined): LoopBrief => ({
    loop,
    label: LABELS[loop],
    schedule: scheduleText(cadences[loop]),
    ...(run ?? { lastRunAt: null, status: null, period: null, detail: null }),
  });
  const { lastIncremental: sync, hygiene, digest, snapshot, review } = records;
  return [
    brief(
      'incremental_sync',
      sync && {
        lastRunAt: sync.finishedAt ?? sync.startedAt,
        status: sync.status,
        period: null,
        detail: sync.status === 'failed' && sync.errorMessage ? sync.errorMessage : plural(sync.records, 'record'),
      },
    ),
    brief('hygiene_evaluation', hygiene && hygieneRun(hygiene)),
    brief('weekly_digest', digest && digestRun(digest)),
    brief(
      'monthly_snapshot',
      snapshot && {
        lastRunAt: snapshot.takenAt.toISOString(),
        status: 'succeeded',
        period: snapshot.month,
        detail: null,
      },
    ),
    brief(
      'quarterly_review',
      review && {
        lastRunAt: review.createdAt.toISOString(),
        status: 'succeeded',
        period: review.sourceKey.slice(review.sourceKey.indexOf(':') + 1),
        detail: `Review action ${review.status}, due ${review.dueOn}.`,
      },
    ),
  ];
}

/**
 * The daily loop's last run is the last whole-portal pass; changed records are evaluated as they change
 * in between. A portal whose only evaluations so far were of changed records shows the last of those,
 * said as such. (Times go in `lastRunAt` only: the component formats them in the portal's time zone.)
 */
function hygieneRun(hygiene: NonNullable<LoopRecords['hygiene']>): Omit<LoopBrief, 'loop' | 'label' | 'schedule'> {
  return hygiene.fullPassAt === undefined
    ? {
        lastRunAt: hygiene.lastEvaluatedAt.toISOString(),
        status: 'succeeded',
        period: null,
        detail: 'No whole-portal pass yet: changed records evaluated as they change.',
      }
    : {
        lastRunAt: hygiene.fullPassAt.toISOString(),
        status: 'succeeded',
        period: null,
        detail: 'Every record evaluated; changed records are evaluated as they change in between.',
      };
}

function digestRun(digest: NonNullable<LoopRecords['digest']>): Omit<LoopBrief, 'loop' | 'label' | 'schedule'> {
  const count = (status: string) => digest.tasks.filter((task) => task.status === status).length;
  const created = count('created');
  const failed = count('failed');
  const waiting = count('pending') + count('sending');
  const parts = [`${plural(created, 'task')} created`];
  if (failed > 0) parts.push(`${failed} refused by HubSpot`);
  if (waiting > 0) parts.push(`${waiting} still to deliver`);
  return {
    lastRunAt: digest.generatedAt.toISOString(),
    status: failed > 0 ? 'failed' : waiting > 0 ? 'running' : 'succeeded',
    period: digest.week,
    detail: digest.tasks.length === 0 ? 'No tasks to deliver this week.' : `${parts.join(', ')}.`,
  };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

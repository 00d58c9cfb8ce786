import type { AnyJobDefinition } from '../jobs/definition.ts';
import { indexDefinitions } from '../jobs/registry.ts';
import type { QueueDeps } from './deps.ts';
import { jobOptionsFor } from './job-options.ts';
import { listScheduleRows, type ScheduleRow } from './job-schedules.ts';
import type { QueueSet } from './queue-set.ts';

/**
 * The BullMQ side of `job_schedules`: one job scheduler per row, in the queue of the row's job.
 */

/** One id per (portal, key), unique within the queue; BullMQ builds `repeat:<id>:<time>` job ids from it. */
export function schedulerIdFor(portalId: number, key: string): string {
  return `portal/${portalId}/${key}`;
}

/** Creates or updates the scheduler of a row whose payload was already validated. */
export async function upsertScheduler(queues: QueueSet, definition: AnyJobDefinition, row: ScheduleRow): Promise<void> {
  const repeat = 'everyMs' in row.cadence ? { every: row.cadence.everyMs } : { pattern: row.cadence.cron, tz: 'UTC' };
  await queues.get(definition.queue).upsertJobScheduler(schedulerIdFor(row.portalId, row.key), repeat, {
    name: definition.name,
    data: row.payload,
    opts: jobOptionsFor(definition),
  });
}

export type SchedulerReport = { schedulers: number; invalidSchedules: number; removedSchedulers: number };

/**
 * Makes Redis hold exactly one scheduler per valid row: upserts each (idempotent: an unchanged one keeps
 * its next run) and removes schedulers without a row in every queue the definitions know. A row
 * naming an unknown job or carrying a payload its schema refuses is logged and gets no scheduler: a
 * wrong schedule must not run, and must not stop the others.
 */
export async function syncSchedulers(
  deps: QueueDeps & { readonly definitions: readonly AnyJobDefinition[] },
): Promise<SchedulerReport> {
  const byName = indexDefinitions(deps.definitions);
  const wanted = new Map<string, Set<string>>();
  const report: SchedulerReport = { schedulers: 0, invalidSchedules: 0, removedSchedulers: 0 };
  for (const row of await listScheduleRows(deps.db)) {
    const log = deps.log?.child({ portalId: row.portalId, scheduleKey: row.key, job: row.name });
    const checked = checkRow(byName.get(row.name), row);
    if (typeof checked === 'string') {
      report.invalidSchedules++;
      log?.error({ problem: checked }, 'schedule skipped');
      continue;
    }
    // Wanted even if the upsert fails below, so a scheduler Redis still has isn't removed for it.
    const ids = wanted.get(row.queue) ?? new Set<string>();
    wanted.set(row.queue, ids.add(schedulerIdFor(row.portalId, row.key)));
    try {
      await upsertScheduler(deps.queues, checked, row);
      report.schedulers++;
    } catch (error) {
      // A cron pattern BullMQ can't parse, typically; the other schedules still go ahead.
      report.invalidSchedules++;
      log?.error({ err: error }, 'schedule refused by BullMQ');
    }
  }
  const queueNames = new Set(deps.definitions.map((definition) => definition.queue));
  for (const name of queueNames) {
    const queue = deps.queues.get(name);
    for (const scheduler of await queue.getJobSchedulers(0, -1)) {
      if (wanted.get(name)?.has(scheduler.key)) continue;
      await queue.removeJobScheduler(scheduler.key);
      report.removedSchedulers++;
    }
  }
  return report;
}

/** The row's definition when the row is runnable, else why it isn't. */
function checkRow(definition: AnyJobDefinition | undefined, row: ScheduleRow): AnyJobDefinition | string {
  if (!definition) return `no job is named "${row.name}"`;
  if (definition.queue !== row.queue) return `"${row.name}" runs on queue "${definition.queue}", not "${row.queue}"`;
  const parsed = definition.payload.safeParse(row.payload);
  return parsed.success ? definition : `invalid payload: ${parsed.error.message}`;
}

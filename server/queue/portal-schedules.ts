import type { AnyJobDefinition, PayloadOf } from '../jobs/definition.ts';
import type { QueueDeps } from './deps.ts';
import { InvalidJobPayloadError } from './invalid-payload-error.ts';
import { Cadence, deleteScheduleRows, ScheduleKey, upsertScheduleRow } from './job-schedules.ts';
import { schedulerIdFor, upsertScheduler } from './schedulers.ts';

export type PortalSchedule<D extends AnyJobDefinition> = {
  readonly portalId: number;
  /** Names the schedule within the portal, e.g. `sync.incremental`; adding the same key again replaces it. */
  readonly key: string;
  readonly definition: D;
  readonly payload: PayloadOf<D>;
  readonly cadence: Cadence;
};

/**
 * Adds (or replaces) a recurring job of a portal: the row first, as the durable record, then its
 * BullMQ scheduler so it starts now rather than at the next reconcile. For install.
 */
export async function addPortalSchedule<D extends AnyJobDefinition>(
  deps: QueueDeps,
  schedule: PortalSchedule<D>,
): Promise<void> {
  const key = ScheduleKey.parse(schedule.key);
  const cadence = Cadence.parse(schedule.cadence);
  const parsed = schedule.definition.payload.safeParse(schedule.payload);
  if (!parsed.success) throw new InvalidJobPayloadError(schedule.definition.name, parsed.error);
  const row = {
    portalId: schedule.portalId,
    key,
    queue: schedule.definition.queue,
    name: schedule.definition.name,
    cadence,
    payload: parsed.data,
  };
  await upsertScheduleRow(deps.db, row);
  await upsertScheduler(deps.queues, schedule.definition, row);
}

/**
 * Removes a portal's recurring jobs (all, or those with the given keys): rows and schedulers. For
 * uninstall, before the portal row goes: deleting the portal cascades to the rows, but only this
 * removes the schedulers from Redis right away (otherwise the next reconcile does).
 */
export async function removePortalSchedules(
  deps: QueueDeps,
  portalId: number,
  keys?: readonly string[],
): Promise<number> {
  const removed = await deleteScheduleRows(deps.db, portalId, keys);
  for (const row of removed) {
    await deps.queues.get(row.queue).removeJobScheduler(schedulerIdFor(row.portalId, row.key));
  }
  return removed.length;
}

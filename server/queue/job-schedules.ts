import { z } from 'zod';
import type { Queryable } from '../db/pool.ts';

/**
 * The `job_schedules` table: a portal's recurring jobs, kept in Postgres because Redis may forget its
 * job schedulers; `reconcile` rebuilds them from these rows.
 */

/** Part of a BullMQ scheduler id (see `schedulerIdFor`), so it must stay clear of `:` and `/`. */
export const ScheduleKey = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be 1-100 letters, digits, ".", "_" or "-"');

/** Every `everyMs` milliseconds, or on a cron pattern (evaluated in UTC). */
export const Cadence = z.union([
  z.strictObject({ everyMs: z.number().int().min(1000) }),
  z.strictObject({ cron: z.string().min(9) }),
]);
export type Cadence = z.infer<typeof Cadence>;

export type ScheduleRow = {
  readonly portalId: number;
  readonly key: string;
  readonly queue: string;
  readonly name: string;
  readonly cadence: Cadence;
  readonly payload: unknown;
};

type Row = {
  portal_id: number;
  key: string;
  queue: string;
  name: string;
  every_ms: number | null;
  cron: string | null;
  payload: unknown;
};

function toSchedule(row: Row): ScheduleRow {
  return {
    portalId: row.portal_id,
    key: row.key,
    queue: row.queue,
    name: row.name,
    // The table's CHECK guarantees exactly one of the two is set.
    cadence: row.every_ms !== null ? { everyMs: row.every_ms } : { cron: row.cron ?? '' },
    payload: row.payload,
  };
}

export async function upsertScheduleRow(db: Queryable, schedule: ScheduleRow): Promise<void> {
  const everyMs = 'everyMs' in schedule.cadence ? schedule.cadence.everyMs : null;
  const cron = 'cron' in schedule.cadence ? schedule.cadence.cron : null;
  await db.query(
    `INSERT INTO job_schedules (portal_id, key, queue, name, every_ms, cron, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (portal_id, key) DO UPDATE
       SET queue = excluded.queue, name = excluded.name, every_ms = excluded.every_ms,
           cron = excluded.cron, payload = excluded.payload`,
    [schedule.portalId, schedule.key, schedule.queue, schedule.name, everyMs, cron, JSON.stringify(schedule.payload)],
  );
}

/** Deletes a portal's schedules (all of them, or those with the given keys); returns what was deleted. */
export async function deleteScheduleRows(
  db: Queryable,
  portalId: number,
  keys?: readonly string[],
): Promise<ScheduleRow[]> {
  const { rows } = await db.query<Row>(
    `DELETE FROM job_schedules
      WHERE portal_id = $1 AND ($2::text[] IS NULL OR key = ANY($2::text[]))
      RETURNING portal_id, key, queue, name, every_ms, cron, payload`,
    [portalId, keys ?? null],
  );
  return rows.map(toSchedule);
}

export async function listScheduleRows(db: Queryable): Promise<ScheduleRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT portal_id, key, queue, name, every_ms, cron, payload FROM job_schedules ORDER BY portal_id, key`,
  );
  return rows.map(toSchedule);
}

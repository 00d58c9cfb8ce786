import type { Queryable } from '../../db/pool.ts';
import type { Definitions } from '../../domain/policy/index.ts';
import { stageMoves, velocity, type StageVelocity } from '../../domain/metrics/velocity.ts';
import { drillRecord, type Drill } from '../drill.ts';
import type { ReportFilters } from '../filters.ts';
import { enteredByRecord, LIFECYCLE_OF } from '../stage-entries.ts';

/**
 * Velocity v1 — per lifecycle (contacts, deals, tickets), over the same records as the funnel (in
 * scope, matching the filters, `from`/`to` selecting cohorts by the month of first entry): for each
 * stage of the main path, the days from entering it to entering the next stage of the path the record
 * reached, over the records that made that move (`moves`); median and 75th percentile by nearest rank
 * (the value of the ⌈q·n⌉-th fastest move, SQL's `percentile_disc`), to two decimals — the same
 * definition as the funnel's velocity columns, so both show the same figures. The last stage has none.
 * The arithmetic is the domain's `velocity()` (domain/metrics/velocity.ts).
 *
 * Drill-down: `stage` → its moves, fastest first, each with its days (the `moves` figure; the median
 * is the ⌈n/2⌉-th of them).
 */
export const VELOCITY_METRIC = { id: 'velocity', version: 1 } as const;

export async function velocityReport(
  db: Queryable,
  portalId: number,
  definitions: Definitions,
  objectType: 'contacts' | 'deals' | 'tickets',
  filters: ReportFilters,
): Promise<{ stages: StageVelocity[] }> {
  const all = await enteredByRecord(db, portalId, objectType, filters);
  const path = definitions.stages[LIFECYCLE_OF[objectType]].order[0] ?? [];
  return { stages: velocity(path, all) };
}

export async function velocityRecords(
  db: Queryable,
  portalId: number,
  definitions: Definitions,
  objectType: 'contacts' | 'deals' | 'tickets',
  filters: ReportFilters,
  cell: { stage: string },
): Promise<Drill> {
  const all = await enteredByRecord(db, portalId, objectType, filters);
  const path = definitions.stages[LIFECYCLE_OF[objectType]].order[0] ?? [];
  const moves = stageMoves(path, all).get(cell.stage) ?? [];
  return {
    figure: `${objectType} that moved on from ${cell.stage}, fastest first`,
    columns: ['days'],
    records: moves.map((m) => drillRecord(portalId, objectType, m.id, { days: Math.round(m.days * 100) / 100 })),
  };
}

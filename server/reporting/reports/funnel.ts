import type { Queryable } from '../../db/pool.ts';
import { funnel, type StageFunnel } from '../../domain/metrics/index.ts';
import type { Definitions } from '../../domain/policy/index.ts';
import { drillRecord, type Drill } from '../drill.ts';
import type { ReportFilters } from '../filters.ts';
import { enteredByRecord, LIFECYCLE_OF } from '../stage-entries.ts';

/**
 * Funnel v1 — per lifecycle (contacts, deals, tickets), over the records in scope that match the
 * filters: for each stage of the main path, the records that entered it, next-step conversion
 * (entered the next stage ÷ entered this one) and cumulative conversion (÷ entered the first stage),
 * with velocity (median and p75 days to the next stage reached; the velocity report has the same
 * figures with their base). Cohorts: the UTC month in which a record entered its earliest stage, each
 * with the same columns; `from`/`to` select cohorts by that month. The arithmetic is the domain's
 * `funnel()`; the query (`stage-entries.ts`) only gathers each record's entered-at per stage.
 *
 * Drill-down: `stage` (and `cohort`, YYYY-MM) → the records that entered that stage (the `entered`
 * figure); the conversions are ratios of two such counts.
 */
export const FUNNEL_METRIC = { id: 'funnel', version: 1 } as const;

export type FunnelReport = { overall: StageFunnel[]; cohorts: { month: string; stages: StageFunnel[] }[] };

export async function funnelReport(
  db: Queryable,
  portalId: number,
  definitions: Definitions,
  objectType: 'contacts' | 'deals' | 'tickets',
  filters: ReportFilters,
): Promise<FunnelReport> {
  const all = await enteredByRecord(db, portalId, objectType, filters);
  const path = definitions.stages[LIFECYCLE_OF[objectType]].order[0] ?? [];
  const months = [...new Set(all.map((r) => r.cohort))].sort();
  return {
    overall: funnel(
      path,
      all.map((r) => r.entered),
    ),
    cohorts: months.map((month) => ({
      month,
      stages: funnel(
        path,
        all.filter((r) => r.cohort === month).map((r) => r.entered),
      ),
    })),
  };
}

export async function funnelRecords(
  db: Queryable,
  portalId: number,
  objectType: 'contacts' | 'deals' | 'tickets',
  filters: ReportFilters,
  cell: { stage: string; cohort?: string | undefined },
): Promise<Drill> {
  const all = await enteredByRecord(db, portalId, objectType, filters);
  const records = all
    .filter((r) => r.entered.has(cell.stage) && (cell.cohort === undefined || r.cohort === cell.cohort))
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((r) =>
      drillRecord(portalId, objectType, r.id, {
        cohort: r.cohort,
        entered_at: new Date(r.entered.get(cell.stage)!).toISOString(),
      }),
    );
  return {
    figure: `${objectType} that entered ${cell.stage}${cell.cohort ? ` (cohort ${cell.cohort})` : ''}`,
    columns: ['cohort', 'entered_at'],
    records,
  };
}

import type { Queryable } from '../../db/pool.ts';
import { funnel, type StageFunnel } from '../../domain/metrics/index.ts';
import type { Definitions } from '../../domain/policy/index.ts';
import { filterParams, type ReportFilters } from '../filters.ts';

/**
 * Funnel v1 — per lifecycle (contacts, deals, tickets), over the records in scope that match the
 * filters: for each stage of the main path, the records that entered it, next-step conversion
 * (entered the next stage ÷ entered this one) and cumulative conversion (÷ entered the first stage),
 * with velocity (median and p75 days to the next stage reached). Cohorts: the UTC month in which a
 * record entered its earliest stage; `from`/`to` select cohorts by that month. The arithmetic is the
 * domain's `funnel()`; this query only gathers each record's entered-at per stage.
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
  const { rows } = await db.query<{ object_id: string; stage: string; entered_at: Date; cohort: string }>(
    `WITH recs AS (
       SELECT r.object_id FROM report_records r
        WHERE r.portal_id = $1 AND r.object_type = $8
          AND ($4::text IS NULL OR r.lead_channel = $4) AND ($5::text IS NULL OR r.icp_tier = $5)
          AND ($6::text IS NULL OR r.product_line = $6) AND ($7::text IS NULL OR r.owner_id = $7)),
     cohorts AS (
       SELECT e.object_id, to_char(date_trunc('month', min(e.entered_at) AT TIME ZONE 'UTC'), 'YYYY-MM') AS cohort
         FROM report_stage_entries e JOIN recs USING (object_id)
        WHERE e.portal_id = $1 AND e.object_type = $8
        GROUP BY e.object_id)
     SELECT e.object_id, e.stage, e.entered_at, c.cohort
       FROM report_stage_entries e JOIN cohorts c USING (object_id)
      WHERE e.portal_id = $1 AND e.object_type = $8
        AND ($2::date IS NULL OR c.cohort >= to_char($2::date, 'YYYY-MM'))
        AND ($3::date IS NULL OR c.cohort <= to_char($3::date, 'YYYY-MM'))
      ORDER BY c.cohort, e.object_id`,
    [portalId, ...filterParams(filters), objectType],
  );
  const byRecord = new Map<string, { cohort: string; entered: Map<string, number> }>();
  for (const row of rows) {
    const record = byRecord.get(row.object_id) ?? { cohort: row.cohort, entered: new Map<string, number>() };
    record.entered.set(row.stage, row.entered_at.getTime());
    byRecord.set(row.object_id, record);
  }
  const object = ({ contacts: 'contact', deals: 'deal', tickets: 'ticket' } as const)[objectType];
  const path = definitions.stages[object].order[0] ?? [];
  const all = [...byRecord.values()];
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

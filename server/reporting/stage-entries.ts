import type { Queryable } from '../db/pool.ts';
import { filterParams, type ReportFilters } from './filters.ts';

/**
 * The records of one lifecycle that the funnel and velocity reports read: the records in scope that
 * match the filters, each with its cohort (the UTC month in which it entered its earliest stage) and
 * entered-at per stage; `from`/`to` select cohorts by that month. One query, read by both reports and
 * their drill-downs so they always count the same records.
 */
export type RecordEntries = { id: string; cohort: string; entered: Map<string, number> };

export async function enteredByRecord(
  db: Queryable,
  portalId: number,
  objectType: 'contacts' | 'deals' | 'tickets',
  filters: ReportFilters,
): Promise<RecordEntries[]> {
  // One pass over the entries joined to their records on the whole key (so an index lookup serves the
  // join however stale the planner's row estimates are right after a refresh), the cohort as a window.
  const { rows } = await db.query<{ object_id: string; stage: string; entered_at: Date; cohort: string }>(
    `SELECT x.object_id, x.stage, x.entered_at, x.cohort FROM (
       SELECT e.object_id::text AS object_id, e.stage, e.entered_at,
              to_char(date_trunc('month', min(e.entered_at) OVER (PARTITION BY e.object_id) AT TIME ZONE 'UTC'),
                      'YYYY-MM') AS cohort
         FROM report_stage_entries e
         JOIN report_records r ON r.portal_id = e.portal_id AND r.object_type = e.object_type AND r.object_id = e.object_id
        WHERE e.portal_id = $1 AND e.object_type = $8
          AND ($4::text IS NULL OR r.lead_channel = $4) AND ($5::text IS NULL OR r.icp_tier = $5)
          AND ($6::text IS NULL OR r.product_line = $6) AND ($7::text IS NULL OR r.owner_id = $7)) x
      WHERE ($2::date IS NULL OR x.cohort >= to_char($2::date, 'YYYY-MM'))
        AND ($3::date IS NULL OR x.cohort <= to_char($3::date, 'YYYY-MM'))
      ORDER BY x.cohort, x.object_id::bigint`,
    [portalId, ...filterParams(filters), objectType],
  );
  const byRecord = new Map<string, RecordEntries>();
  for (const row of rows) {
    const record = byRecord.get(row.object_id) ?? { id: row.object_id, cohort: row.cohort, entered: new Map() };
    record.entered.set(row.stage, row.entered_at.getTime());
    byRecord.set(row.object_id, record);
  }
  return [...byRecord.values()];
}

/** The lifecycle's main path (section 1's first order) for a reporting object type. */
export const LIFECYCLE_OF = { contacts: 'contact', deals: 'deal', tickets: 'ticket' } as const;

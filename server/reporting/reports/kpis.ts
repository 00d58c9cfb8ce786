import type { Queryable } from '../../db/pool.ts';
import { lastReportingRefresh } from '../../db/repositories/reporting.ts';
import type { Kpis } from '../../domain/metrics/index.ts';
import { kpisFromCounts, type KpiCounts } from '../../domain/metrics/kpi-counts.ts';
import type { CrmObject, Definitions } from '../../domain/policy/index.ts';
import { CRM_OBJECT_OF, HUBSPOT_OBJECT_TYPE, type HubSpotObjectType } from '../../domain/policy/primitives.ts';
import { drillRecord, type Drill } from '../drill.ts';

/**
 * Maturity-matrix KPIs v1 — over every live record of the portal (the engine's scope; the issue log's
 * open findings for their codes): completeness (in-scope records with no open `missing_field:`
 * finding ÷ in-scope records) and stage-conversion integrity (… no open `stage_gap:` finding) per
 * object, duplicate rate (records with a compared value that have an open `duplicate:` finding ÷
 * records with a compared value), trackable touch share (touches with a channel the taxonomy places ÷
 * touches), SLA compliance per SLA (records whose clock started that are not breached at `now` ÷
 * records whose clock started), open findings by code and by record owner. Portal-wide: the report
 * filters do not narrow it.
 *
 * Read from the reporting model, not the mirror: each record's scope, compared value and owner
 * (`report_record_scope`), its SLA clocks (`report_sla_clocks`, so compliance is exact at any `now`)
 * and the touch counts are what the last refresh derived; the open findings are read as they are now,
 * joined with the records the model knows. A page load therefore costs a few aggregate queries, not an
 * evaluation's read of every record. The figures equal the domain's `kpis()` over the mirror at the last
 * refresh (tests/integration/reporting/kpis.test.ts); the arithmetic is `kpisFromCounts()`.
 *
 * Drill-down: `kpi` and `key` (the object for completeness and integrity, the SLA id, the code, the
 * owner id or `unowned`) → for a share, `measure=base` (its denominator) or `measure=counted` (its
 * numerator); for findings by code or owner, the open findings (one row each).
 */
export const KPIS_METRIC = { id: 'maturity_kpis', version: 1 } as const;

// The issue log names objects as the policy does (`deal`); the model by mirror table (`deals`).
const CRM = Object.keys(HUBSPOT_OBJECT_TYPE) as CrmObject[];
const TABLES = CRM.map((o) => HUBSPOT_OBJECT_TYPE[o]);

export async function kpisReport(db: Queryable, portalId: number, definitions: Definitions, now: Date): Promise<Kpis> {
  const scope = await db.query<{ object_type: HubSpotObjectType; in_scope: number; keyed: number }>(
    `SELECT s.object_type, count(*) FILTER (WHERE s.in_scope)::int AS in_scope,
            count(*) FILTER (WHERE s.duplicate_keyed)::int AS keyed
       FROM report_record_scope s WHERE s.portal_id = $1 GROUP BY s.object_type`,
    [portalId],
  );
  const findings = await db.query<{ kind: string; key: string | null; n: number }>(
    `WITH f AS (
       SELECT s.object_type, s.object_id, s.in_scope, s.duplicate_keyed, s.owner_id, f.code
         FROM findings f
         JOIN unnest($2::text[], $3::text[]) AS m(crm, tbl) ON m.crm = f.object_type
         JOIN report_record_scope s ON s.portal_id = f.portal_id AND s.object_type = m.tbl AND s.object_id = f.object_id
        WHERE f.portal_id = $1 AND f.resolved_at IS NULL)
     SELECT 'code' AS kind, code AS key, count(*)::int AS n FROM f GROUP BY code
     UNION ALL
     SELECT 'owner', coalesce(owner_id, 'unowned'), count(*)::int FROM f GROUP BY 2
     UNION ALL
     SELECT 'missing_field', object_type, count(DISTINCT object_id)::int FROM f
      WHERE in_scope AND starts_with(code, 'missing_field:') GROUP BY object_type
     UNION ALL
     SELECT 'stage_gap', object_type, count(DISTINCT object_id)::int FROM f
      WHERE in_scope AND starts_with(code, 'stage_gap:') GROUP BY object_type
     UNION ALL
     SELECT 'duplicate', NULL, count(DISTINCT (object_type, object_id))::int FROM f
      WHERE duplicate_keyed AND starts_with(code, 'duplicate:')`,
    [portalId, CRM, TABLES],
  );
  const clocks = await db.query<{ sla: string; applies: number; met: number }>(
    `SELECT c.sla, count(*)::int AS applies,
            count(*) FILTER (WHERE c.breach_at IS NULL OR c.breach_at >= $2)::int AS met
       FROM report_sla_clocks c WHERE c.portal_id = $1 GROUP BY c.sla ORDER BY c.sla`,
    [portalId, now],
  );
  const refresh = await lastReportingRefresh(db, portalId);

  const counts: KpiCounts = {
    objects: {},
    duplicates: { keyed: 0, flagged: 0 },
    touches: refresh?.touches ?? { total: 0, trackable: 0 },
    slas: Object.fromEntries(clocks.rows.map((c) => [c.sla, { applies: c.applies, met: c.met }])),
    findingsByCode: {},
    findingsByOwner: {},
  };
  for (const row of scope.rows) {
    counts.objects[CRM_OBJECT_OF[row.object_type]] = {
      inScope: row.in_scope,
      inScopeMissingField: 0,
      inScopeStageGap: 0,
    };
    counts.duplicates.keyed += row.keyed;
  }
  for (const row of findings.rows) {
    if (row.kind === 'code') counts.findingsByCode[row.key!] = row.n;
    else if (row.kind === 'owner') counts.findingsByOwner[row.key!] = row.n;
    else if (row.kind === 'duplicate') counts.duplicates.flagged = row.n;
    else {
      const object = counts.objects[CRM_OBJECT_OF[row.key as HubSpotObjectType]];
      if (object === undefined) continue;
      if (row.kind === 'missing_field') object.inScopeMissingField = row.n;
      else object.inScopeStageGap = row.n;
    }
  }
  return kpisFromCounts(
    counts,
    definitions.slas.map((sla) => sla.id),
  );
}

export type KpiDrillCell = {
  kpi:
    | 'completeness'
    | 'stage_conversion_integrity'
    | 'duplicate_rate'
    | 'sla_compliance'
    | 'trackable_touch_share'
    | 'findings_by_code'
    | 'findings_by_owner';
  key?: string | undefined;
  measure?: 'base' | 'counted' | undefined;
};

/** The records (or findings, or touches) behind one KPI figure; see the drill-down note above. */
export async function kpiRecords(db: Queryable, portalId: number, now: Date, cell: KpiDrillCell): Promise<Drill> {
  const measure = cell.measure ?? 'base';
  const key = cell.key ?? '';
  switch (cell.kpi) {
    case 'completeness':
    case 'stage_conversion_integrity': {
      const prefix = cell.kpi === 'completeness' ? 'missing_field:' : 'stage_gap:';
      const object = key as CrmObject; // checked by the catalog
      const { rows } = await db.query<{ object_id: string; codes: string[] }>(
        `SELECT s.object_id, coalesce(array_agg(f.code ORDER BY f.code) FILTER (WHERE f.code IS NOT NULL), '{}') AS codes
           FROM report_record_scope s
           LEFT JOIN findings f ON f.portal_id = s.portal_id AND f.object_type = $3 AND f.object_id = s.object_id
                               AND f.resolved_at IS NULL AND starts_with(f.code, $4)
          WHERE s.portal_id = $1 AND s.object_type = $2 AND s.in_scope
          GROUP BY s.object_id ORDER BY s.object_id`,
        [portalId, HUBSPOT_OBJECT_TYPE[object], object, prefix],
      );
      const list = measure === 'counted' ? rows.filter((r) => r.codes.length === 0) : rows;
      return {
        figure: `${object} records in scope${measure === 'counted' ? ` with no open ${prefix} finding` : ''}`,
        columns: ['open_findings'],
        records: list.map((r) =>
          drillRecord(portalId, HUBSPOT_OBJECT_TYPE[object], r.object_id, { open_findings: r.codes.join(' ') }),
        ),
      };
    }
    case 'duplicate_rate': {
      const { rows } = await db.query<{ object_type: HubSpotObjectType; object_id: string; codes: string[] }>(
        `SELECT s.object_type, s.object_id,
                coalesce(array_agg(f.code ORDER BY f.code) FILTER (WHERE f.code IS NOT NULL), '{}') AS codes
           FROM report_record_scope s
           JOIN unnest($2::text[], $3::text[]) AS m(crm, tbl) ON m.tbl = s.object_type
           LEFT JOIN findings f ON f.portal_id = s.portal_id AND f.object_type = m.crm AND f.object_id = s.object_id
                               AND f.resolved_at IS NULL AND starts_with(f.code, 'duplicate:')
          WHERE s.portal_id = $1 AND s.duplicate_keyed
          GROUP BY s.object_type, s.object_id ORDER BY s.object_type, s.object_id`,
        [portalId, CRM, TABLES],
      );
      const list = measure === 'counted' ? rows.filter((r) => r.codes.length > 0) : rows;
      return {
        figure: `Records with a value the duplicate checks compare${measure === 'counted' ? ', flagged as duplicates' : ''}`,
        columns: ['open_findings'],
        records: list.map((r) =>
          drillRecord(portalId, r.object_type, r.object_id, { open_findings: r.codes.join(' ') }),
        ),
      };
    }
    case 'sla_compliance': {
      const { rows } = await db.query<{
        object_type: HubSpotObjectType;
        object_id: string;
        started_at: Date;
        breached: boolean;
      }>(
        `SELECT c.object_type, c.object_id, c.started_at, coalesce(c.breach_at < $3, false) AS breached
           FROM report_sla_clocks c WHERE c.portal_id = $1 AND c.sla = $2
          ORDER BY c.object_type, c.object_id`,
        [portalId, key, now],
      );
      const list = measure === 'counted' ? rows.filter((r) => !r.breached) : rows;
      return {
        figure: `Records whose ${key} clock started${measure === 'counted' ? ', not breached' : ''}`,
        columns: ['started_at', 'breached'],
        records: list.map((r) =>
          drillRecord(portalId, r.object_type, r.object_id, {
            started_at: r.started_at.toISOString(),
            breached: r.breached,
          }),
        ),
      };
    }
    case 'trackable_touch_share': {
      const { rows } = await db.query<{ id: string; contact_id: string; channel: string; trackable: boolean }>(
        `SELECT t.id, t.contact_id, t.channel, t.trackable FROM touches t
          WHERE t.portal_id = $1 AND (NOT $2::boolean OR t.trackable)
          ORDER BY t.contact_id, t.occurred_at, t.id`,
        [portalId, measure === 'counted'],
      );
      return {
        figure: `Touches${measure === 'counted' ? ' with a channel the taxonomy places' : ''} (each links to its contact)`,
        columns: ['touch', 'channel', 'trackable'],
        records: rows.map((r) =>
          drillRecord(portalId, 'contacts', r.contact_id, { touch: r.id, channel: r.channel, trackable: r.trackable }),
        ),
      };
    }
    case 'findings_by_code':
    case 'findings_by_owner': {
      const byCode = cell.kpi === 'findings_by_code';
      const { rows } = await db.query<{
        object_type: HubSpotObjectType;
        object_id: string;
        code: string;
        owner: string;
      }>(
        `SELECT s.object_type, s.object_id, f.code, coalesce(s.owner_id, 'unowned') AS owner
           FROM findings f
           JOIN unnest($2::text[], $3::text[]) AS m(crm, tbl) ON m.crm = f.object_type
           JOIN report_record_scope s ON s.portal_id = f.portal_id AND s.object_type = m.tbl AND s.object_id = f.object_id
          WHERE f.portal_id = $1 AND f.resolved_at IS NULL
            AND (CASE WHEN $4::boolean THEN f.code = $5 ELSE coalesce(s.owner_id, 'unowned') = $5 END)
          ORDER BY s.object_type, s.object_id, f.code`,
        [portalId, CRM, TABLES, byCode, key],
      );
      return {
        figure: byCode ? `Open findings ${key}` : `Open findings of records owned by ${key}`,
        columns: ['code', 'owner'],
        records: rows.map((r) => drillRecord(portalId, r.object_type, r.object_id, { code: r.code, owner: r.owner })),
      };
    }
  }
}

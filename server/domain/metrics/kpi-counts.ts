import type { Kpis } from './kpis.ts';

/**
 * The maturity-matrix KPIs from counts instead of one entry per record: what `kpis()` computes,
 * assembled from aggregates a database can return in a few rows (the reporting model's per-record
 * scope and SLA clocks joined with the open findings), so a page load does not read every record.
 * Same definitions, same rounding, same key order as `kpis()`; pure.
 */
export type KpiCounts = {
  /** Per object type with at least one live record (CRM object names: `contact`, `deal`…). */
  objects: Record<
    string,
    {
      inScope: number;
      /** In-scope records with an open `missing_field:` finding. */
      inScopeMissingField: number;
      /** In-scope records with an open `stage_gap:` finding. */
      inScopeStageGap: number;
    }
  >;
  /** Records with a value the duplicate checks compare, and those of them with an open `duplicate:` finding. */
  duplicates: { keyed: number; flagged: number };
  touches: { total: number; trackable: number };
  /** Per SLA id: records whose clock started, and those not breached at the instant asked. */
  slas: Record<string, { applies: number; met: number }>;
  findingsByCode: Record<string, number>;
  /** Open findings per record owner id; `unowned` for records without one. */
  findingsByOwner: Record<string, number>;
};

export function kpisFromCounts(counts: KpiCounts, slaIds: readonly string[] = []): Kpis {
  const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
  const types = Object.keys(counts.objects).sort();
  // kpis() lists the definitions' SLAs first, then any other SLA a record carried, in first-seen order.
  const slaOrder = [...slaIds, ...Object.keys(counts.slas).filter((id) => !slaIds.includes(id))];
  return {
    completeness: Object.fromEntries(
      types.map((t) => {
        const o = counts.objects[t]!;
        return [t, share(o.inScope - o.inScopeMissingField, o.inScope)];
      }),
    ),
    duplicateRate: share(counts.duplicates.flagged, counts.duplicates.keyed),
    stageConversionIntegrity: Object.fromEntries(
      types.map((t) => {
        const o = counts.objects[t]!;
        return [t, share(o.inScope - o.inScopeStageGap, o.inScope)];
      }),
    ),
    trackableTouchShare: share(counts.touches.trackable, counts.touches.total),
    slaCompliance: Object.fromEntries(
      slaOrder.map((id) => {
        const s = counts.slas[id] ?? { applies: 0, met: 0 };
        return [id, share(s.met, s.applies)];
      }),
    ),
    findingsByCode: sortedByKey(counts.findingsByCode),
    findingsByOwner: sortedByKey(counts.findingsByOwner),
  };
}

function sortedByKey(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

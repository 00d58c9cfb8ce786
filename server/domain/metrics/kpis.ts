/**
 * The maturity-matrix KPIs the hygiene issue defines, from evaluated records and touches. Pure.
 * Each ratio is null when nothing applies, so no KPI is shown without a base.
 */
export type EvaluatedForKpis = {
  objectType: string;
  inScope: boolean;
  codes: readonly string[];
  /** The record has a value that duplicate checks compare (email, domain). */
  duplicateKeyed: boolean;
};

export type Kpis = {
  completeness: Record<string, number | null>;
  duplicateRate: number | null;
  stageConversionIntegrity: Record<string, number | null>;
  trackableTouchShare: number | null;
  findingsByCode: Record<string, number>;
};

export function kpis(records: readonly EvaluatedForKpis[], touches: { total: number; trackable: number }): Kpis {
  const types = [...new Set(records.map((r) => r.objectType))].sort();
  const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
  const inScope = (type: string) => records.filter((r) => r.objectType === type && r.inScope);
  const keyed = records.filter((r) => r.duplicateKeyed);
  const findingsByCode: Record<string, number> = {};
  for (const r of records) for (const code of r.codes) findingsByCode[code] = (findingsByCode[code] ?? 0) + 1;
  return {
    completeness: Object.fromEntries(
      types.map((t) => [
        t,
        share(inScope(t).filter((r) => !r.codes.some((c) => c.startsWith('missing_field:'))).length, inScope(t).length),
      ]),
    ),
    duplicateRate: share(keyed.filter((r) => r.codes.some((c) => c.startsWith('duplicate:'))).length, keyed.length),
    stageConversionIntegrity: Object.fromEntries(
      types.map((t) => [
        t,
        share(inScope(t).filter((r) => !r.codes.some((c) => c.startsWith('stage_gap:'))).length, inScope(t).length),
      ]),
    ),
    trackableTouchShare: share(touches.trackable, touches.total),
    findingsByCode: Object.fromEntries(Object.entries(findingsByCode).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

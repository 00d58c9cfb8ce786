/**
 * The maturity-matrix KPIs the hygiene issue defines, from evaluated records and touches. Pure.
 * Each ratio is null when nothing applies, so no KPI is shown without a base. `slaIds` (the
 * definitions' SLAs, in order) makes every SLA appear, with null where no record's clock started.
 */
export type EvaluatedForKpis = {
  objectType: string;
  inScope: boolean;
  codes: readonly string[];
  /** The record has a value that duplicate checks compare (email, domain). */
  duplicateKeyed: boolean;
  /** The SLAs whose clock has started on the record, and whether each is breached (the engine's `slas`). */
  slas: readonly { sla: string; breached: boolean }[];
  /** The record owner (HubSpot owner id); findings without one count under `unowned`. */
  ownerId?: string | undefined;
};

export type Kpis = {
  completeness: Record<string, number | null>;
  duplicateRate: number | null;
  stageConversionIntegrity: Record<string, number | null>;
  trackableTouchShare: number | null;
  /** Per SLA id: the share of records whose clock started that are not breached. */
  slaCompliance: Record<string, number | null>;
  findingsByCode: Record<string, number>;
  /** Findings per record owner id (`unowned` for records without one). */
  findingsByOwner: Record<string, number>;
};

const UNOWNED = 'unowned';

export function kpis(
  records: readonly EvaluatedForKpis[],
  touches: { total: number; trackable: number },
  slaIds: readonly string[] = [],
): Kpis {
  const types = [...new Set(records.map((r) => r.objectType))].sort();
  const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
  const inScope = (type: string) => records.filter((r) => r.objectType === type && r.inScope);
  const keyed = records.filter((r) => r.duplicateKeyed);
  const findingsByCode: Record<string, number> = {};
  const findingsByOwner: Record<string, number> = {};
  const slaTally = new Map<string, { applies: number; met: number }>(slaIds.map((id) => [id, { applies: 0, met: 0 }]));
  for (const r of records) {
    for (const code of r.codes) findingsByCode[code] = (findingsByCode[code] ?? 0) + 1;
    if (r.codes.length > 0) {
      const owner = r.ownerId ?? UNOWNED;
      findingsByOwner[owner] = (findingsByOwner[owner] ?? 0) + r.codes.length;
    }
    for (const outcome of r.slas) {
      const tally = slaTally.get(outcome.sla) ?? { applies: 0, met: 0 };
      tally.applies++;
      if (!outcome.breached) tally.met++;
      slaTally.set(outcome.sla, tally);
    }
  }
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
    slaCompliance: Object.fromEntries([...slaTally].map(([id, t]) => [id, share(t.met, t.applies)])),
    findingsByCode: sortedByKey(findingsByCode),
    findingsByOwner: sortedByKey(findingsByOwner),
  };
}

function sortedByKey(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

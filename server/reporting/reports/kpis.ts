import type { Queryable } from '../../db/pool.ts';
import { openFindingCodesOf } from '../../db/repositories/findings.ts';
import { touchTrackability } from '../../db/repositories/reporting.ts';
import { slaOutcomes, stagedRecord } from '../../domain/hygiene/index.ts';
import { kpis, type EvaluatedForKpis, type Kpis } from '../../domain/metrics/index.ts';
import type { CrmObject, Definitions } from '../../domain/policy/index.ts';
import { loadRecords, nextRecordIds } from '../../hygiene/load-records.ts';

/**
 * Maturity-matrix KPIs v1 — the domain's `kpis()` over every live record of the portal (the issue
 * log's open findings for its codes, the engine's view for scope and SLA clocks) and the touches:
 * completeness and stage-conversion integrity per object, duplicate rate, trackable touch share, SLA
 * compliance per SLA, findings by code and by owner. Portal-wide: the report filters do not narrow it.
 * Records are read in batches; only the few facts `kpis()` needs are kept of each. It reads the whole
 * mirror, so it costs what an evaluation's read does: the page computes it once per load.
 */
export const KPIS_METRIC = { id: 'maturity_kpis', version: 1 } as const;

const OBJECTS: readonly CrmObject[] = ['contact', 'company', 'deal', 'ticket'];

export async function kpisReport(
  db: Queryable,
  portalId: number,
  definitions: Definitions,
  now: Date,
  batchSize = 1_000,
): Promise<Kpis> {
  const evaluated: EvaluatedForKpis[] = [];
  for (const object of OBJECTS) {
    const rule = definitions.duplicates.find((d) => d.object === object);
    for (let afterId = 0; ;) {
      const ids = await nextRecordIds(db, portalId, object, afterId, batchSize);
      if (ids.length === 0) break;
      afterId = ids.at(-1)!;
      const codes = await openFindingCodesOf(db, portalId, object, ids);
      for (const record of await loadRecords(db, portalId, object, ids)) {
        const staged = stagedRecord(record, definitions, now.getTime());
        evaluated.push({
          objectType: object,
          inScope: staged !== undefined,
          codes: codes.get(Number(record.id)) ?? [],
          duplicateKeyed: rule !== undefined && (record.properties[rule.property] ?? '').trim() !== '',
          slas: staged ? slaOutcomes(staged) : [],
          ownerId: record.ownerId,
        });
      }
    }
  }
  return kpis(
    evaluated,
    await touchTrackability(db, portalId),
    definitions.slas.map((sla) => sla.id),
  );
}

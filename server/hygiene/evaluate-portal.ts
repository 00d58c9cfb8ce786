import { currentDefinitions } from '../definitions/current-definitions.ts';
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { saveComputedProperties } from '../db/repositories/computed-properties.ts';
import { recordFindings } from '../db/repositories/findings.ts';
import { evaluateRecord, findDuplicates, recordKey } from '../domain/hygiene/index.ts';
import type { CrmObject } from '../domain/policy/index.ts';
import { HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import { loadDuplicateCandidates, loadRecords, nextRecordIds } from './load-records.ts';

export type EvaluationSummary = {
  definitionsVersion: number;
  records: number;
  open: number;
  resolved: number;
};

const ORDER: CrmObject[] = ['contact', 'company', 'deal', 'ticket'];

/**
 * Evaluates every record of a portal against its current definitions and writes the issue log.
 * Duplicates are found set-wise first (only the compared property of each record is loaded); then the
 * records stream through in batches, each batch loaded, evaluated and recorded in one transaction, so
 * memory stays bounded by the batch and a crash loses at most the batch in flight.
 */
export async function evaluatePortalHygiene(
  db: pg.Pool,
  portalId: number,
  options: { now: Date; batchSize?: number; onProgress?: (objectType: CrmObject, records: number) => void },
): Promise<EvaluationSummary> {
  const latest = await currentDefinitions(db, portalId);
  const definitions = latest.definitions;
  const duplicates = findDuplicates(
    await loadDuplicateCandidates(db, portalId, definitions.duplicates),
    definitions.duplicates,
  );

  const summary: EvaluationSummary = { definitionsVersion: latest.version, records: 0, open: 0, resolved: 0 };
  const batchSize = options.batchSize ?? 1_000;
  for (const objectType of ORDER) {
    let afterId = 0;
    let done = 0;
    for (;;) {
      const ids = await nextRecordIds(db, portalId, objectType, afterId, batchSize);
      if (ids.length === 0) break;
      afterId = ids.at(-1)!;
      const records = await loadRecords(db, portalId, objectType, ids);
      const evaluations = records.map((record) =>
        evaluateRecord(record, definitions, options.now, { duplicates: duplicates.get(recordKey(record)) ?? [] }),
      );
      const result = await withTransaction(db, async (tx) => {
        // The values section 8 writes back, kept for write-back to compare with what HubSpot has.
        await saveComputedProperties(
          tx,
          portalId,
          'hygiene',
          options.now,
          evaluations.map((e) => ({
            objectType: HUBSPOT_OBJECT_TYPE[e.objectType],
            objectId: Number(e.objectId),
            properties: e.properties,
          })),
        );
        return recordFindings(tx, portalId, {
          definitionsVersion: latest.version,
          now: options.now,
          evaluated: evaluations.map((e) => ({ objectType: e.objectType, objectId: Number(e.objectId) })),
          findings: evaluations.flatMap((e) =>
            e.findings.map((f) => ({
              objectType: f.objectType,
              objectId: Number(f.objectId),
              code: f.code,
              field: f.field ?? null,
              severity: f.severity,
              proposedFix: f.proposedFix,
              ownerId: e.ownerId ?? null,
            })),
          ),
        });
      });
      summary.records += evaluations.length;
      summary.open += result.open;
      summary.resolved += result.resolved;
      done += evaluations.length;
      options.onProgress?.(objectType, done);
    }
  }
  return summary;
}

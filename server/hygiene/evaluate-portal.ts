import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { resolveFindingsOfGoneRecords } from '../db/repositories/findings.ts';
import { advanceCursor, latestChangeId } from '../db/repositories/record-changes.ts';
import { currentDefinitions } from '../definitions/current-definitions.ts';
import { findDuplicates } from '../domain/hygiene/index.ts';
import type { CrmObject } from '../domain/policy/index.ts';
import { HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import { evaluateAndRecord, type EvaluationRun } from './evaluate-records.ts';
import { loadDuplicateCandidates, nextRecordIds } from './load-records.ts';

export type EvaluationSummary = {
  definitionsVersion: number;
  records: number;
  open: number;
  resolved: number;
};

const ORDER: CrmObject[] = ['contact', 'company', 'deal', 'ticket'];

/**
 * Evaluates every record of a portal against its current definitions and writes the issue log: after
 * the first sync, after a definitions change, and daily for the rules that read the clock.
 * Duplicates are found set-wise first (only the compared property of each record is loaded); then the
 * records stream through in batches, each batch loaded, evaluated and recorded in one transaction, so
 * memory stays bounded by the batch and a crash loses at most the batch in flight. Every change logged
 * before the run started is covered by it, so the change consumer's cursor moves past them at the end.
 */
export async function evaluatePortalHygiene(
  db: pg.Pool,
  portalId: number,
  options: { now: Date; batchSize?: number; onProgress?: (objectType: CrmObject, records: number) => void },
): Promise<EvaluationSummary> {
  const coveredThrough = await latestChangeId(db, portalId);
  const latest = await currentDefinitions(db, portalId);
  const definitions = latest.definitions;
  const run: EvaluationRun = {
    portalId,
    definitions,
    definitionsVersion: latest.version,
    duplicates: findDuplicates(
      await loadDuplicateCandidates(db, portalId, definitions.duplicates),
      definitions.duplicates,
    ),
    now: options.now,
  };

  const summary: EvaluationSummary = { definitionsVersion: latest.version, records: 0, open: 0, resolved: 0 };
  const batchSize = options.batchSize ?? 1_000;
  for (const objectType of ORDER) {
    let afterId = 0;
    let done = 0;
    for (;;) {
      const ids = await nextRecordIds(db, portalId, objectType, afterId, batchSize);
      if (ids.length === 0) break;
      afterId = ids.at(-1)!;
      const result = await withTransaction(db, (tx) =>
        evaluateAndRecord(
          tx,
          run,
          ids.map((objectId) => ({ objectType, objectId })),
        ),
      );
      summary.records += result.records;
      summary.open += result.open;
      summary.resolved += result.resolved;
      done += result.records;
      options.onProgress?.(objectType, done);
    }
  }
  summary.resolved += await resolveFindingsOfGoneRecords(db, portalId, options.now, HUBSPOT_OBJECT_TYPE);
  await advanceCursor(db, portalId, 'hygiene', coveredThrough);
  return summary;
}

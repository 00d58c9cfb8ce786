import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { resolveFindingsOfGoneRecords } from '../db/repositories/findings.ts';
import { advanceCursor, latestChangeId } from '../db/repositories/record-changes.ts';
import { currentDefinitions } from '../definitions/current-definitions.ts';
import { findDuplicates, type RecordEvaluation, type RecordInput } from '../domain/hygiene/index.ts';
import type { CrmObject } from '../domain/policy/index.ts';
import { HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import { evaluateLoaded, recordEvaluations, type EvaluationRun } from './evaluate-records.ts';
import { loadDuplicateCandidates, loadRecords, nextRecordIds } from './load-records.ts';

export type EvaluationSummary = {
  definitionsVersion: number;
  records: number;
  open: number;
  resolved: number;
};

const ORDER: CrmObject[] = ['contact', 'company', 'deal', 'ticket'];

/** Records a batch holds unless the caller says otherwise. */
export const DEFAULT_BATCH_SIZE = 1_000;

/**
 * Records evaluated between two turns of the event loop: short enough that the next batch's queries and
 * the last batch's writes move on while the engine works.
 */
const SLICE = 100;

type Batch = { objectType: CrmObject; ids: number[]; records: RecordInput[] };

/**
 * Evaluates every record of a portal against its current definitions and writes the issue log: after
 * the first sync, after a definitions change, and daily for the rules that read the clock.
 * Duplicates are found set-wise first (only the compared property of each record is loaded); then the
 * records stream through in batches. Three batches are in hand at once, each on its own connection:
 * the next one is read while this one is evaluated and the previous one is written (in one transaction
 * of its own), so Node and Postgres work at the same time instead of waiting for each other. Memory
 * stays bounded by those three batches, and a crash loses at most the last batches written (see their
 * commit below), after which the pass runs again. Every change logged before the run started is
 * covered by it, so the change consumer's cursor moves past them at the end.
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
  const done = new Map<CrmObject, number>();
  // The batch being written; awaited before the next one is handed over, so one is in flight at most.
  let writing: Promise<void> = Promise.resolve();
  try {
    for await (const batch of readAhead(readBatches(db, portalId, options.batchSize ?? DEFAULT_BATCH_SIZE))) {
      const evaluations = await evaluateInSlices(run, batch.records);
      await writing;
      // Only what the write needs is kept until it is done: the records themselves can go now. The batch
      // is every live record of its type from its first id to its last, which lets the issue log be
      // read as one range instead of record by record (a record of the range that comes back to life
      // meanwhile is in the change log, whose consumer evaluates it).
      const { objectType } = batch;
      const range = { fromId: batch.ids[0]!, toId: batch.ids.at(-1)! };
      writing = withTransaction(db, async (tx) => {
        // Not waiting for the WAL flush at each batch's commit: a crash can then lose the last few
        // batches committed (a fraction of a second of them), which is harmless here. The pass is not
        // finished until the cursor moves at the end, in an ordinary commit that flushes every batch's
        // WAL before it; until then the job's intent is pending, so a restarted worker runs the whole
        // pass again and writes every record anew. A reader who saw a lost batch saw values the re-run
        // writes again.
        await tx.query('SET LOCAL synchronous_commit = off');
        return recordEvaluations(tx, run, objectType, range, evaluations);
      }).then((result) => {
        summary.records += result.records;
        summary.open += result.open;
        summary.resolved += result.resolved;
        done.set(objectType, (done.get(objectType) ?? 0) + result.records);
        options.onProgress?.(objectType, done.get(objectType)!);
      });
      // Its failure is thrown where it is awaited (above, or below), not reported as unhandled.
      writing.catch(() => undefined);
    }
  } finally {
    // However the loop ended (a failed read included), the batch being written is finished or has
    // failed before the pass returns: a caller that retries never overlaps it.
    await writing.catch(() => undefined);
  }
  await writing;
  summary.resolved += await resolveFindingsOfGoneRecords(db, portalId, options.now, HUBSPOT_OBJECT_TYPE);
  await advanceCursor(db, portalId, 'hygiene', coveredThrough);
  return summary;
}

/** Every live record of the portal, type after type, in id order, a batch at a time. */
async function* readBatches(db: pg.Pool, portalId: number, batchSize: number): AsyncGenerator<Batch> {
  for (const objectType of ORDER) {
    for (let afterId = 0; ;) {
      const ids = await nextRecordIds(db, portalId, objectType, afterId, batchSize);
      if (ids.length === 0) break;
      afterId = ids.at(-1)!;
      yield { objectType, ids, records: await loadRecords(db, portalId, objectType, ids) };
    }
  }
}

/** `source`, with its next item always being read while the consumer works on the current one. */
async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done === true) return;
      next = source.next();
      // Awaited at the next turn; a failure meanwhile (the consumer busy or gone) is not unhandled.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    await next.catch(() => undefined);
    await source.return(undefined);
  }
}

/** The engine over a batch, yielding to the event loop every SLICE records (see SLICE). */
async function evaluateInSlices(run: EvaluationRun, records: readonly RecordInput[]): Promise<RecordEvaluation[]> {
  const evaluations: RecordEvaluation[] = [];
  for (let start = 0; start < records.length; start += SLICE) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const evaluation of evaluateLoaded(run, records.slice(start, start + SLICE))) evaluations.push(evaluation);
  }
  return evaluations;
}

import type pg from 'pg';
import { PassBatchRows, recordPassBatch, resolveFindingsOfGoneRecords } from '../db/repositories/findings.ts';
import { advanceCursor, latestChangeId } from '../db/repositories/record-changes.ts';
import { currentDefinitions } from '../definitions/current-definitions.ts';
import type { DuplicateMatch, RecordInput } from '../domain/hygiene/index.ts';
import type { CrmObject } from '../domain/policy/index.ts';
import { HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import { evaluateLoaded, type EvaluationRun } from './evaluate-records.ts';
import { loadRecords, nextRecordIds } from './load-records.ts';
import { findPortalDuplicates } from './portal-duplicates.ts';

export type EvaluationSummary = {
  definitionsVersion: number;
  records: number;
  open: number;
  resolved: number;
};

/**
 * The types in the order the pass reads them: those no duplicate rule of the default definitions
 * compares first, so their batches are evaluated while the duplicates are still being found.
 */
export const PASS_ORDER: readonly CrmObject[] = ['deal', 'ticket', 'contact', 'company'];

const NO_DUPLICATES: ReadonlyMap<string, DuplicateMatch[]> = new Map();

/** Records a batch holds unless the caller says otherwise. */
export const DEFAULT_BATCH_SIZE = 1_000;

/**
 * Records evaluated between two turns of the event loop: short enough that the next batch's queries and
 * the last batch's writes move on while the engine works.
 */
const SLICE = 100;

/**
 * The live records of one type with ids from `fromId` to `toId`, as read (or being read). The ranges
 * of a type's batches follow each other without a gap (each starts after the last id of the one
 * before), so the batches' writes cover every id up to the last record read, gone records' findings
 * included.
 */
type Batch = { objectType: CrmObject; fromId: number; toId: number; records: Promise<RecordInput[]> };

/**
 * Batches read ahead of the one being evaluated. The ids of a batch follow from the one before (keyset
 * paging), but loading its records does not: two batches load at once, each on its own connection, so
 * the reads keep up with the engine even when Postgres's or Node's share of a read waits behind the
 * other work of the pass.
 */
const READ_AHEAD = 2;

/**
 * Evaluates every record of a portal against its current definitions and writes the issue log: after
 * the first sync, after a definitions change, and daily for the rules that read the clock.
 * Duplicates are found set-wise over the portal (only the compared property of each record is read,
 * a page at a time) while the records stream through in batches, types no duplicate rule compares
 * first; the first batch of a compared type waits for the groups. Three batches are in hand at once, each on its own connection:
 * the next one is read while this one is evaluated and the previous one is written (in one statement,
 * its own transaction: `recordPassBatch`), so Node and Postgres work at the same time instead of
 * waiting for each other. Memory stays bounded by those three batches, and a crash loses at most the
 * last batches written (see `recordPassBatch`), after which the pass runs again. Every change logged
 * before the run started is covered by it, so the change consumer's cursor moves past them at the end,
 * with the pass's time, the last sighting of every open finding it did not rewrite (findings.ts).
 */
export async function evaluatePortalHygiene(
  db: pg.Pool,
  portalId: number,
  options: { now: Date; batchSize?: number; onProgress?: (objectType: CrmObject, records: number) => void },
): Promise<EvaluationSummary> {
  const coveredThrough = await latestChangeId(db, portalId);
  const latest = await currentDefinitions(db, portalId);
  const definitions = latest.definitions;
  // Found set-wise over the portal while the batches of types no rule compares go through (a page at a
  // time, on a connection of its own); awaited by the first batch that needs them.
  const duplicates = findPortalDuplicates(db, portalId, definitions.duplicates);
  duplicates.catch(() => undefined);
  const compared = new Set(definitions.duplicates.map((rule) => rule.object));
  const run: Omit<EvaluationRun, 'duplicates'> = {
    portalId,
    definitions,
    definitionsVersion: latest.version,
    now: options.now,
  };

  const summary: EvaluationSummary = { definitionsVersion: latest.version, records: 0, open: 0, resolved: 0 };
  const done = new Map<CrmObject, number>();
  // The last id read of each type: the batches covered every id up to it.
  const lastRead = new Map<CrmObject, number>();
  // The batch being written; awaited before the next one is handed over, so one is in flight at most.
  let writing: Promise<void> = Promise.resolve();
  try {
    for await (const batch of readAhead(
      readBatches(db, portalId, options.batchSize ?? DEFAULT_BATCH_SIZE, lastRead),
      READ_AHEAD,
    )) {
      const rows = await evaluateInSlices(
        { ...run, duplicates: compared.has(batch.objectType) ? await duplicates : NO_DUPLICATES },
        await batch.records,
      );
      await writing;
      // A record of the range that comes back to life meanwhile is in the change log, whose consumer
      // evaluates it.
      const { objectType } = batch;
      writing = recordPassBatch(db, portalId, {
        definitionsVersion: run.definitionsVersion,
        now: run.now,
        range: { objectType, fromId: batch.fromId, toId: batch.toId },
        computedType: HUBSPOT_OBJECT_TYPE[objectType],
        rows,
      }).then((result) => {
        summary.records += rows.records;
        summary.open += result.open;
        summary.resolved += result.resolved;
        done.set(objectType, (done.get(objectType) ?? 0) + rows.records);
        options.onProgress?.(objectType, done.get(objectType)!);
      });
      // Its failure is thrown where it is awaited (above, or below), not reported as unhandled.
      writing.catch(() => undefined);
    }
  } finally {
    // However the loop ended (a failed read included), the batch being written (and the search for
    // duplicates) is finished or has failed before the pass returns: a caller that retries never
    // overlaps it, and every connection is back.
    await writing.catch(() => undefined);
    await duplicates.catch(() => undefined);
  }
  await writing;
  // A failed search fails the pass even when no batch needed its groups.
  await duplicates;
  summary.resolved += await resolveFindingsOfGoneRecords(
    db,
    portalId,
    options.now,
    PASS_ORDER.map((objectType) => ({
      objectType,
      table: HUBSPOT_OBJECT_TYPE[objectType],
      afterId: lastRead.get(objectType) ?? 0,
    })),
  );
  // Every record has been seen at `now` (its open findings with it) and every change logged before the
  // run started is covered by it.
  await advanceCursor(db, portalId, 'hygiene', coveredThrough, { fullPassAt: options.now });
  return summary;
}

/**
 * Every live record of the portal, type after type, in id order, a batch at a time, each batch's
 * records loading from when it is yielded; `lastRead` gets each type's last id once its batches are
 * all read.
 */
async function* readBatches(
  db: pg.Pool,
  portalId: number,
  batchSize: number,
  lastRead: Map<CrmObject, number>,
): AsyncGenerator<Batch> {
  for (const objectType of PASS_ORDER) {
    let afterId = 0;
    for (;;) {
      const ids = await nextRecordIds(db, portalId, objectType, afterId, batchSize);
      if (ids.length === 0) break;
      const fromId = afterId + 1;
      afterId = ids.at(-1)!;
      const records = loadRecords(db, portalId, objectType, ids);
      // Awaited by the consumer, or when the pass stops early (readAhead); not unhandled meanwhile.
      records.catch(() => undefined);
      yield { objectType, fromId, toId: afterId, records };
    }
    lastRead.set(objectType, afterId);
  }
}

/**
 * `source` with its next `depth` batches always being read while the consumer works on the current
 * one. However it ends, every read it started is finished before it returns, so a pass that stops
 * early has every connection back.
 */
async function* readAhead(source: AsyncGenerator<Batch>, depth: number): AsyncGenerator<Batch> {
  const ahead: Promise<IteratorResult<Batch>>[] = [];
  const fill = () => {
    while (ahead.length < depth) {
      const next = source.next();
      // Awaited in turn; a failure meanwhile (the consumer busy or gone) is not unhandled.
      next.catch(() => undefined);
      ahead.push(next);
    }
  };
  try {
    for (fill(); ;) {
      const current = await ahead.shift()!;
      if (current.done === true) return;
      fill();
      yield current.value;
    }
  } finally {
    for (const next of ahead) {
      const item = await next.catch(() => undefined);
      if (item?.done === false) await item.value.records.catch(() => undefined);
    }
    await source.return(undefined);
  }
}

/**
 * The engine over a batch, yielding to the event loop every SLICE records (see SLICE), each record's
 * evaluation turned at once into the rows its write sends (see PassBatchRows).
 */
async function evaluateInSlices(run: EvaluationRun, records: readonly RecordInput[]): Promise<PassBatchRows> {
  const rows = new PassBatchRows();
  for (let start = 0; start < records.length; start += SLICE) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const e of evaluateLoaded(run, records.slice(start, start + SLICE)))
      rows.add(Number(e.objectId), e.properties, e.ownerId ?? null, e.findings);
  }
  return rows;
}

import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { advanceCursor, claimChanges, pruneChanges } from '../db/repositories/record-changes.ts';
import { currentDefinitions } from '../definitions/current-definitions.ts';
import { withDependents } from './dependents.ts';
import { duplicatesAround } from './duplicates-around.ts';
import { evaluateAndRecord } from './evaluate-records.ts';

export type ChangesSummary = { batches: number; changed: number; records: number; open: number; resolved: number };

/**
 * Re-evaluates what changed in the mirror since hygiene last looked (the change log of migration 0009,
 * filled by triggers on every write): the changed records, the records that read them, and the records
 * whose duplicate group moved with them. Batch after batch, each one transaction that claims the
 * changes, writes the results and moves the cursor, so a crash redoes at most one batch and two
 * workers never evaluate the same batch. After a sync page or a webhook batch.
 */
export async function evaluatePendingChanges(
  db: pg.Pool,
  portalId: number,
  options: { now: Date; batchSize?: number; signal?: AbortSignal | undefined },
): Promise<ChangesSummary> {
  const summary: ChangesSummary = { batches: 0, changed: 0, records: 0, open: 0, resolved: 0 };
  const batchSize = options.batchSize ?? 2_000;
  for (;;) {
    if (options.signal?.aborted) break; // what is done stays done; the rest waits in the log.
    const done = await withTransaction(db, async (tx) => {
      const batch = await claimChanges(tx, portalId, 'hygiene', batchSize);
      if (batch.records.length === 0) return undefined;
      const current = await currentDefinitions(tx, portalId);
      const refs = await withDependents(tx, portalId, batch.records);
      const around = await duplicatesAround(tx, portalId, current.definitions, refs);
      const result = await evaluateAndRecord(
        tx,
        {
          portalId,
          definitions: current.definitions,
          definitionsVersion: current.version,
          duplicates: around.duplicates,
          now: options.now,
        },
        [...refs, ...around.related],
      );
      await advanceCursor(tx, portalId, 'hygiene', batch.throughId);
      return { changed: batch.records.length, ...result };
    });
    if (done === undefined) break;
    summary.batches++;
    summary.changed += done.changed;
    summary.records += done.records;
    summary.open += done.open;
    summary.resolved += done.resolved;
  }
  await pruneChanges(db, portalId);
  return summary;
}

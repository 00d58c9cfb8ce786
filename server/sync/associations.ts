import { z } from 'zod';
import { withTransaction, type Queryable } from '../db/pool.ts';
import {
  deleteAssociationsOf,
  insertAssociations,
  type AssociationRow,
} from '../db/repositories/mirror-associations.ts';
import { countMirrorRecords, mirrorIdsAfter } from '../db/repositories/mirror-objects.ts';
import { cursorFor, saveCursor } from './checkpoint.ts';
import type { MirrorType } from './mirror-types.ts';
import { throwIfStopped, type SyncRunContext } from './sync-run-context.ts';

/** The v4 batch read takes up to 1,000 ids a call. */
export const ASSOCIATION_BATCH = 1_000;

const BatchAnswer = z.object({
  results: z.array(
    z.object({
      _from: z.object({ id: z.string() }),
      to: z.array(z.object({ toObjectId: z.union([z.string(), z.number()]) })),
      paging: z.object({ next: z.object({ after: z.string() }).nullish() }).nullish(),
    }),
  ),
});

// The cursor's `after` is "<type read from>:<last id read>": the side is chosen once per run.
const AFTER = /^(companies|contacts|deals|tickets):(\d+)$/;

/**
 * Mirrors the associations of one pair of types through the v4 batch read, 1,000 ids a call, reading
 * from the side with fewer records (fewest calls; every pair is seen from either end). The ids come
 * from the mirror, so this runs after the objects. Each batch replaces the stored associations of its
 * ids, in one transaction with its checkpoint, so removed associations disappear too.
 */
export async function syncAssociationPair(run: SyncRunContext, pair: readonly [MirrorType, MirrorType]): Promise<void> {
  const [a, b] = pair;
  const stream = `full:associations:${a}-${b}`;
  let cursor = await cursorFor(run.db, run.portalId, stream, run.runId);
  if (cursor.done) return;
  const resumed = cursor.after ? AFTER.exec(cursor.after) : null;
  const from: MirrorType = resumed ? (resumed[1] as MirrorType) : await smallerSide(run, a, b);
  const to: MirrorType = from === a ? b : a;
  let lastId = resumed ? Number(resumed[2]) : 0;
  while (!cursor.done) {
    throwIfStopped(run);
    const batch = await readAssociationBatchAfter(run, from, to, lastId);
    lastId = batch.lastId;
    const next = { runId: run.runId, after: `${from}:${lastId}`, done: batch.done };
    await withTransaction(run.db, async (tx) => {
      await replaceAssociations(tx, run.portalId, from, to, batch);
      await saveCursor(tx, run.portalId, stream, next);
    });
    cursor = next;
  }
}

/** The side of a pair with fewer live records in the mirror: reading from it takes the fewest calls. */
export async function smallerSide(run: SyncRunContext, a: MirrorType, b: MirrorType): Promise<MirrorType> {
  const [na, nb] = await Promise.all([
    countMirrorRecords(run.db, run.portalId, a),
    countMirrorRecords(run.db, run.portalId, b),
  ]);
  return nb < na ? b : a;
}

/** One batch of a walk over a type's live mirror ids: the ids, their associations, and where to go on. */
export type AssociationBatch = { ids: number[]; rows: AssociationRow[]; lastId: number; done: boolean };

/** The associations of the next 1,000 live mirror ids of `from` after `afterId`, with `to` (one call). */
export async function readAssociationBatchAfter(
  run: SyncRunContext,
  from: MirrorType,
  to: MirrorType,
  afterId: number,
): Promise<AssociationBatch> {
  const ids = await mirrorIdsAfter(run.db, run.portalId, from, afterId, ASSOCIATION_BATCH);
  const rows = ids.length > 0 ? await readAssociations(run, from, to, ids) : [];
  return { ids, rows, lastId: ids.at(-1) ?? afterId, done: ids.length < ASSOCIATION_BATCH };
}

/**
 * Replaces the associations of `ids` (of `from`) with `to` by what HubSpot answered (call inside the
 * caller's transaction): removed ones disappear, new ones appear, whatever labels they carry (the
 * mirror keeps the pair, not its labels).
 */
export async function replaceAssociations(
  tx: Queryable,
  portalId: number,
  from: MirrorType,
  to: MirrorType,
  read: { ids: readonly number[]; rows: readonly AssociationRow[] },
): Promise<void> {
  await deleteAssociationsOf(tx, portalId, from, read.ids, to);
  await insertAssociations(tx, portalId, read.rows);
}

/** All associations of `ids`, 1,000 ids a call, following per-record paging (a record with very many). */
export async function readAssociations(
  run: Pick<SyncRunContext, 'client'>,
  from: MirrorType,
  to: MirrorType,
  ids: readonly number[],
): Promise<AssociationRow[]> {
  const rows: AssociationRow[] = [];
  for (let i = 0; i < ids.length; i += ASSOCIATION_BATCH)
    rows.push(...(await readAssociationBatch(run, from, to, ids.slice(i, i + ASSOCIATION_BATCH))));
  return rows;
}

/** One batch of at most 1,000 ids, then the further pages of records with very many associations. */
async function readAssociationBatch(
  run: Pick<SyncRunContext, 'client'>,
  from: MirrorType,
  to: MirrorType,
  ids: readonly number[],
): Promise<AssociationRow[]> {
  const rows: AssociationRow[] = [];
  let inputs: { id: string; after?: string }[] = ids.map((id) => ({ id: String(id) }));
  while (inputs.length > 0) {
    const batch = inputs;
    // Ids without associations come back as errors of a 207 (NO_ASSOCIATIONS_FOUND): nothing to store.
    const raw = await run.client.call((sdk) => sdk.crm.associations.v4.batchApi.getPage(from, to, { inputs: batch }), {
      idempotent: true,
    });
    const answer = BatchAnswer.parse(raw);
    inputs = [];
    for (const result of answer.results) {
      const fromId = Number(result._from.id);
      for (const target of result.to) rows.push(stored(from, fromId, to, Number(target.toObjectId)));
      const after = result.paging?.next?.after;
      if (after) inputs.push({ id: result._from.id, after });
    }
  }
  return rows;
}

/** The stored direction: from the type that sorts first. */
function stored(fromType: MirrorType, fromId: number, toType: MirrorType, toId: number): AssociationRow {
  return fromType < toType
    ? { fromType, fromId, toType, toId }
    : { fromType: toType, fromId: toId, toType: fromType, toId: fromId };
}

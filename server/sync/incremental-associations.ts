import { z } from 'zod';
import { withTransaction } from '../db/pool.ts';
import { readCheckpoint, writeCheckpoint } from '../db/repositories/sync-checkpoints.ts';
import { readAssociationBatchAfter, replaceAssociations, smallerSide } from './associations.ts';
import { MIRROR_TYPES, type MirrorType } from './mirror-types.ts';
import { throwIfStopped, type SyncRunContext } from './sync-run-context.ts';

/**
 * How often the incremental sync reads every association again. Adding or removing an association
 * does not always move either record's last-modified date, so the search can't see it; the
 * `associationChange` webhooks carry it (the drain), and this pass is the safety net for changes no
 * webhook brought (a delivery lost after HubSpot's 24 hours of retries, a change HubSpot sent no
 * event for). It costs what the full sync's association step costs, Σ over the four pairs
 * ⌈live records of the smaller side ÷ 1,000⌉ calls (a small share of a full sync, which reads the
 * records 50 a call), and nothing tells which records changed, so the pass reads them all; once a day
 * bounds both its cost and how long a missed change stays in the mirror (server/sync/README.md).
 */
export const ASSOCIATION_PASS_EVERY_MS = 24 * 60 * 60_000;

/** The last finished pass's start, and the pass under way: its start, the side read and the last id read. */
const AssociationPassCursor = z.object({
  lastPassStartedMs: z.number().int().nonnegative().nullable(),
  current: z
    .object({
      startedMs: z.number().int().nonnegative(),
      from: z.enum(MIRROR_TYPES),
      lastId: z.number().int().nonnegative(),
    })
    .nullable(),
});
type AssociationPassCursor = z.infer<typeof AssociationPassCursor>;

/**
 * Reads the associations of one pair again when a pass is under way (an interrupted run left one) or
 * the last one started `everyMs` ago or more (the full sync's association step counts: `baselineMs`),
 * from the side with fewer live records, 1,000 ids a call; each batch replaces its ids' associations in
 * one transaction with the checkpoint (`incremental:associations:<a>-<b>`). Returns the batches read
 * (one call each, more when a record's associations span several pages).
 */
export async function associationPassIfDue(
  run: SyncRunContext,
  pair: readonly [MirrorType, MirrorType],
  options: { baselineMs: number; nowMs: number; everyMs: number },
): Promise<number> {
  const [a, b] = pair;
  const stream = `incremental:associations:${a}-${b}`;
  const stored = AssociationPassCursor.safeParse(await readCheckpoint(run.db, run.portalId, stream));
  let cursor: AssociationPassCursor = stored.success ? stored.data : { lastPassStartedMs: null, current: null };
  if (cursor.current === null) {
    const lastPassMs = Math.max(cursor.lastPassStartedMs ?? 0, options.baselineMs);
    if (options.nowMs - lastPassMs < options.everyMs) return 0;
    cursor = { ...cursor, current: { startedMs: options.nowMs, from: await smallerSide(run, a, b), lastId: 0 } };
  }
  let batches = 0;
  while (cursor.current !== null) {
    throwIfStopped(run);
    const current = cursor.current;
    const to = current.from === a ? b : a;
    const batch = await readAssociationBatchAfter(run, current.from, to, current.lastId);
    if (batch.ids.length > 0) batches++;
    const next: AssociationPassCursor = batch.done
      ? { lastPassStartedMs: current.startedMs, current: null }
      : { ...cursor, current: { ...current, lastId: batch.lastId } };
    await withTransaction(run.db, async (tx) => {
      await replaceAssociations(tx, run.portalId, current.from, to, batch);
      await writeCheckpoint(tx, run.portalId, stream, next);
    });
    cursor = next;
  }
  return batches;
}

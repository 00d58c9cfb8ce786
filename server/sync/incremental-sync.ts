import { z } from 'zod';
import { withTransaction } from '../db/pool.ts';
import { findPortal } from '../db/repositories/portals.ts';
import { readCheckpoint, writeCheckpoint } from '../db/repositories/sync-checkpoints.ts';
import { addSyncRunRecords, finishSyncRunAttempt, insertSyncRun, latestSyncRun } from '../db/repositories/sync-runs.ts';
import { ASSOCIATION_BATCH } from './associations.ts';
import { LAST_MODIFIED, SEARCH_RESULT_CEILING, searchModified, type SearchPage } from './changed-records.ts';
import type { FullSyncDeps } from './full-sync.ts';
import type { HubSpotRecord } from './hubspot-record.ts';
import { ASSOCIATION_PAIRS, SYNC_ORDER, isStagedType, type MirrorType } from './mirror-types.ts';
import { syncNewEvents } from './events.ts';
import { ARCHIVED_PASS_EVERY_MS, archivedPassIfDue } from './incremental-archived.ts';
import { ASSOCIATION_PASS_EVERY_MS, associationPassIfDue } from './incremental-associations.ts';
import { definitionsForSync } from './portal-definitions.ts';
import { REFERENCE_REFRESH_MS, ReferenceCheck, refreshReferenceData } from './reference-data.ts';
import { fetchFresh, storeFresh } from './refresh-records.ts';
import { syncPropertiesOf, type SyncProperties } from './sync-properties.ts';
import { throwIfStopped, type SyncRunContext } from './sync-run-context.ts';

/**
 * HubSpot's search index trails its writes by seconds, and its clock is not ours: a run never moves
 * its lower bound closer to "now" than this, so a record written just before (or during) the run is
 * read again next time rather than skipped. Re-reading is harmless (upserts, never older).
 */
export const SEARCH_LAG_MARGIN_MS = 5 * 60_000;

/**
 * Where a type's incremental sync resumes: records modified at or after `sinceMs`, from `after`; with
 * `idAfter`, the records modified exactly at `sinceMs` with a greater id (more than 10,000 share it).
 */
const IncrementalCursor = z.object({
  sinceMs: z.number().int().nonnegative(),
  after: z.string().nullable(),
  idAfter: z.string().nullish(),
});
type IncrementalCursor = z.infer<typeof IncrementalCursor>;

export type IncrementalSyncOutcome = { runId: number; status: 'succeeded' | 'skipped' };

/** How often what has no change query is read again (tests shorten it). */
export type IncrementalCadence = { referenceRefreshMs: number; archivedPassMs: number; associationPassMs: number };
export const DEFAULT_CADENCE: IncrementalCadence = {
  referenceRefreshMs: REFERENCE_REFRESH_MS,
  archivedPassMs: ARCHIVED_PASS_EVERY_MS,
  associationPassMs: ASSOCIATION_PASS_EVERY_MS,
};

export type IncrementalSyncDeps = FullSyncDeps & { cadence?: IncrementalCadence };

/**
 * Reads what changed since the last checkpoints, at a cost that follows what changed:
 * - per type, a search on the last-modified property ascending from the stored lower bound (moved past
 *   the 10,000-result ceiling by restarting at the last time seen), then the changed records' stage
 *   history and associations read again in batches, each page committed with its checkpoint; survivors
 *   of merges fold the records they absorbed;
 * - contacts' events that occurred since the last run (one call when there are none);
 * - owners (active and deactivated) and pipelines when a changed record names one the mirror doesn't
 *   know, or hourly;
 * - each type's recycle bin (deletions; records that left it are looked up: restored or purged),
 *   hourly: see ARCHIVED_PASS_EVERY_MS;
 * - every association again, daily (changes that moved no last-modified date and came by no
 *   webhook): see ASSOCIATION_PASS_EVERY_MS.
 * Needs a finished full sync as its baseline; until then (or while a new full sync runs) it does nothing.
 */
export async function runIncrementalSync(deps: IncrementalSyncDeps, portalId: number): Promise<IncrementalSyncOutcome> {
  const portal = await findPortal(deps.db, portalId);
  if (!portal || portal.status !== 'installed') return { runId: 0, status: 'skipped' };
  const full = await latestSyncRun(deps.db, portalId, 'full');
  if (!full || full.status !== 'succeeded') return { runId: 0, status: 'skipped' };
  const run = await insertSyncRun(deps.db, portalId, 'incremental');
  const before = await deps.counters?.read(portalId);
  const context: SyncRunContext = { db: deps.db, client: deps.client, portalId, runId: run.id, signal: deps.signal };
  const cadence = deps.cadence ?? DEFAULT_CADENCE;
  const nowMs = Date.now();
  const ceilingMs = nowMs - SEARCH_LAG_MARGIN_MS;
  // Records changed while the full sync ran may have been listed before the change: start there.
  const baselineMs = full.startedAt.getTime() - SEARCH_LAG_MARGIN_MS;
  let status: 'succeeded' | 'failed' = 'failed';
  let errorMessage: string | null = null;
  try {
    const wanted = syncPropertiesOf(await definitionsForSync(deps.db, portalId));
    const references = await ReferenceCheck.load(context);
    for (const type of SYNC_ORDER)
      await syncChangedRecords(context, type, wanted[type], { baselineMs, ceilingMs, references });
    await syncNewEvents(context, { baselineMs, ceilingMs });
    // The full sync read owners, pipelines and the recycle bin from its start on.
    const since = { baselineMs: full.startedAt.getTime(), nowMs };
    await refreshReferenceData(context, references, { ...since, everyMs: cadence.referenceRefreshMs });
    for (const type of SYNC_ORDER)
      await archivedPassIfDue(context, type, wanted[type], { ...since, everyMs: cadence.archivedPassMs });
    for (const pair of ASSOCIATION_PAIRS)
      await associationPassIfDue(context, pair, { ...since, everyMs: cadence.associationPassMs });
    status = 'succeeded';
  } catch (error) {
    errorMessage = error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    const after = await deps.counters?.read(portalId);
    const rateLimited = after && before ? after.rate_limited - before.rate_limited : 0;
    const errors = after && before ? after.error - before.error : 0;
    const apiCalls = after && before ? after.ok - before.ok + rateLimited + errors : 0;
    await finishSyncRunAttempt(deps.db, portalId, run.id, {
      status,
      calls: { apiCalls, rateLimited, errors },
      errorMessage,
    });
  }
  return { runId: run.id, status: 'succeeded' };
}

/**
 * Changed records are read again and stored in chunks of up to 1,000 (five search pages): the
 * association batch read takes 1,000 ids a call, so a chunk costs one call per partner type, as the
 * full sync's batches do. A chunk commits with the cursor after its last search page; a worker killed
 * mid-chunk searches those pages again.
 */
const CHUNK = ASSOCIATION_BATCH;

async function syncChangedRecords(
  run: SyncRunContext,
  type: MirrorType,
  wanted: SyncProperties,
  { baselineMs, ceilingMs, references }: { baselineMs: number; ceilingMs: number; references: ReferenceCheck },
): Promise<void> {
  const stream = `incremental:${type}`;
  const saved = IncrementalCursor.safeParse(await readCheckpoint(run.db, run.portalId, stream));
  let cursor: IncrementalCursor = saved.success ? saved.data : { sinceMs: Math.max(0, baselineMs), after: null };
  const history = isStagedType(type) ? wanted.history : [];
  // Found but not yet stored, by id (a record found twice, at a window's edge, is read once), and the
  // cursor to commit with them.
  let found = new Map<string, HubSpotRecord>();
  let foundThrough: IncrementalCursor | null = null;
  // Versions stored by this run that a later window can find again (a crowded instant is paged by id
  // after the window that reached it): not read a second time. Only instants ≥ the bound are kept.
  const stored = new Map<string, number>();
  const flush = async () => {
    if (foundThrough === null) return;
    const through = foundThrough;
    const records = [...found.values()];
    const fresh = await fetchFresh(
      run.client,
      type,
      records.map((r) => r.id),
      wanted,
      records,
    );
    await withTransaction(run.db, async (tx) => {
      await storeFresh(tx, run.portalId, fresh);
      await addSyncRunRecords(tx, run.portalId, run.runId, fresh.records.length);
      await writeCheckpoint(tx, run.portalId, stream, through);
    });
    references.see(type, fresh.records);
    for (const r of fresh.records) stored.set(r.id, r.updatedAt.getTime());
    found = new Map();
    foundThrough = null;
  };
  for (;;) {
    throwIfStopped(run);
    // With history to read, the search only finds the ids (the batch read brings the properties).
    const idAfter = cursor.idAfter ?? null;
    const page = await searchModified(
      run.client,
      type,
      idAfter === null ? { sinceMs: cursor.sinceMs } : { atMs: cursor.sinceMs, idAfter },
      cursor.after,
      history.length > 0 ? [LAST_MODIFIED[type]] : wanted.properties,
    );
    if (page.results.length === 0) {
      if (idAfter === null) return flush();
      // The crowded instant is read: carry on after it.
      cursor = { sinceMs: cursor.sinceMs + 1, after: null };
      foundThrough = cursor;
      continue;
    }
    for (const record of page.results) {
      if (stored.get(record.id) === record.updatedAt.getTime()) continue;
      const seen = found.get(record.id);
      if (!seen || seen.updatedAt <= record.updatedAt) found.set(record.id, record);
    }
    const { next, caughtUp } = nextCursor(cursor, page, ceilingMs);
    foundThrough = next;
    if (next.sinceMs > cursor.sinceMs) for (const [id, ms] of stored) if (ms < next.sinceMs) stored.delete(id);
    if (caughtUp || found.size >= CHUNK) await flush();
    if (caughtUp) return;
    cursor = next;
  }
}

/**
 * Where to read next after a search page. Search refuses to page past 10,000 results, so at the
 * ceiling the last instant seen is paged by id (`idAfter`, its own ceiling handled the same way) and
 * the window restarts just after it. Caught up when nothing is left: the bound moves to the last time
 * seen, but no closer to now than the search-lag margin.
 */
function nextCursor(
  cursor: IncrementalCursor,
  page: SearchPage,
  ceilingMs: number,
): { next: IncrementalCursor; caughtUp: boolean } {
  const nextAfter = page.paging?.next?.after ?? null;
  const idAfter = cursor.idAfter ?? null;
  if (nextAfter !== null && Number(nextAfter) < SEARCH_RESULT_CEILING)
    return { next: { ...cursor, after: nextAfter }, caughtUp: false };
  if (idAfter !== null) {
    const lastId = page.results[page.results.length - 1]!.id;
    const next =
      nextAfter !== null
        ? { sinceMs: cursor.sinceMs, after: null, idAfter: lastId }
        : { sinceMs: cursor.sinceMs + 1, after: null };
    return { next, caughtUp: false };
  }
  const lastMs = Math.max(...page.results.map((r) => r.updatedAt.getTime()));
  // At the ceiling: read the last instant seen by id (whatever order HubSpot gave its ties, and however
  // many share it), then go on after it; only the records of that instant are read twice.
  if (nextAfter !== null) return { next: { sinceMs: lastMs, after: null, idAfter: '0' }, caughtUp: false };
  return { next: { sinceMs: Math.max(cursor.sinceMs, Math.min(lastMs, ceilingMs)), after: null }, caughtUp: true };
}

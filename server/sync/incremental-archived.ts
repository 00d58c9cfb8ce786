import { z } from 'zod';
import { withTransaction } from '../db/pool.ts';
import { archiveMirrorRecords } from '../db/repositories/mirror-archive.ts';
import { readCheckpoint, writeCheckpoint } from '../db/repositories/sync-checkpoints.ts';
import { readArchivedPage } from './archived-records.ts';
import type { MirrorType } from './mirror-types.ts';
import { binPageRange, lookUpLeftBin, storeLeftBin } from './restored-records.ts';
import type { SyncProperties } from './sync-properties.ts';
import { throwIfStopped, type SyncRunContext } from './sync-run-context.ts';

/**
 * How often the incremental sync lists a type's recycle bin. HubSpot offers deletions outside webhooks
 * only through that listing, which has no time filter: a pass costs ⌈archived records ÷ 100⌉ calls
 * (90 days of deletions) however few are new. Webhooks carry deletions within seconds, so the pass is
 * the safety net for ones that never arrived, and an hourly pass bounds both its cost (a quarter of a
 * pass per 15-minute run) and how long a missed deletion stays in the mirror.
 */
export const ARCHIVED_PASS_EVERY_MS = 60 * 60_000;

/**
 * The last finished pass's start, and the pass under way: its start, HubSpot's `after` and the last id
 * listed (where the next page's id range starts; absent in cursors written before it was kept).
 */
const ArchivedPassCursor = z.object({
  lastPassStartedMs: z.number().int().nonnegative().nullable(),
  current: z
    .object({
      startedMs: z.number().int().nonnegative(),
      after: z.string().nullable(),
      lastId: z.number().int().nonnegative().nullish(),
    })
    .nullable(),
});
type ArchivedPassCursor = z.infer<typeof ArchivedPassCursor>;

/**
 * Lists a type's recycle bin when a pass is under way (an interrupted run left one) or the last one
 * started more than `everyMs` ago (the full sync's own pass counts: `baselineMs`), archiving what the
 * mirror still has live; each page is committed with the checkpoint (`incremental:archived:<type>`).
 * Deleted records a page's id range no longer lists are looked up by id in the same step: a restored
 * record comes back with its history and associations (search can't see a restore that leaves the
 * last-modified date alone), a purged one is marked and not looked up again (restored-records.ts).
 * Returns the number of bin pages read.
 */
export async function archivedPassIfDue(
  run: SyncRunContext,
  type: MirrorType,
  wanted: SyncProperties,
  options: { baselineMs: number; nowMs: number; everyMs: number },
): Promise<number> {
  const stream = `incremental:archived:${type}`;
  const stored = ArchivedPassCursor.safeParse(await readCheckpoint(run.db, run.portalId, stream));
  let cursor: ArchivedPassCursor = stored.success ? stored.data : { lastPassStartedMs: null, current: null };
  if (cursor.current === null) {
    const lastPassMs = Math.max(cursor.lastPassStartedMs ?? 0, options.baselineMs);
    if (options.nowMs - lastPassMs < options.everyMs) return 0;
    cursor = { ...cursor, current: { startedMs: options.nowMs, after: null, lastId: 0 } };
  }
  let calls = 0;
  while (cursor.current !== null) {
    throwIfStopped(run);
    const current = cursor.current;
    const listedAt = new Date().toISOString();
    const { departures, nextAfter } = await readArchivedPage(run.client, type, current.after);
    calls++;
    const ids = departures.map((d) => d.id);
    const range = binPageRange(current.lastId, ids, nextAfter);
    const left = range ? await lookUpLeftBin(run, type, wanted, { ...range, listed: ids, listedAt }) : null;
    const next: ArchivedPassCursor =
      nextAfter === null
        ? { lastPassStartedMs: current.startedMs, current: null }
        : { ...cursor, current: { ...current, after: nextAfter, lastId: ids.at(-1) ?? current.lastId ?? null } };
    await withTransaction(run.db, async (tx) => {
      await archiveMirrorRecords(tx, run.portalId, type, departures);
      if (left) await storeLeftBin(tx, run.portalId, left);
      await writeCheckpoint(tx, run.portalId, stream, next);
    });
    cursor = next;
  }
  return calls;
}

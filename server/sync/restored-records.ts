import type { Queryable } from '../db/pool.ts';
import { archivedMissingFromBinRange, markPurged, type ArchivedRow } from '../db/repositories/mirror-recycle-bin.ts';
import type { MirrorType } from './mirror-types.ts';
import { fetchFresh, storeFresh, type FreshRecords } from './refresh-records.ts';
import type { SyncProperties } from './sync-properties.ts';
import type { SyncRunContext } from './sync-run-context.ts';

/** HubSpot keeps deleted records in its recycle bin for 90 days: older departures can't come back. */
export const RECYCLE_BIN_RETENTION_MS = 90 * 24 * 60 * 60_000;

/**
 * The id range one page of a recycle-bin listing accounts for. The listing returns archived records by
 * ascending id, so a page covers every archived record after the previous page's last id (`fromId`; 0
 * for the first page) up to its own last id, and the last page up to the end. Null when the range is
 * unknown (a cursor without `lastId`) or the page's ids are not ascending past `fromId`.
 */
export function binPageRange(
  fromId: number | null | undefined,
  ids: readonly number[],
  nextAfter: string | null,
): { afterId: number; throughId: number | null } | null {
  if (fromId === null || fromId === undefined) return null;
  if (!ids.every((id, i) => id > (i === 0 ? fromId : ids[i - 1]!))) return null;
  if (nextAfter === null) return { afterId: fromId, throughId: null };
  const last = ids.at(-1);
  return last === undefined ? null : { afterId: fromId, throughId: last };
}

/** Records that left the recycle bin, looked up by id: what HubSpot answered, not yet stored. */
export type LeftBin = { archived: ArchivedRow[]; fresh: FreshRecords };

/**
 * Deleted records the mirror holds (archived, not merged away) in `range` that the bin page listed at
 * `listedAt` did not return were restored or purged. Search can't tell: a restore need not move the
 * last-modified date. So they are read by id, with history and associations (⌈n ÷ 50⌉ calls, plus one
 * association call per partner type when any came back); HubSpot answers the restored ones only.
 * Null (no call) when none left the bin.
 */
export async function lookUpLeftBin(
  run: SyncRunContext,
  type: MirrorType,
  wanted: SyncProperties,
  range: { afterId: number; throughId: number | null; listed: readonly number[]; listedAt: string },
): Promise<LeftBin | null> {
  const retainedSince = new Date(Date.parse(range.listedAt) - RECYCLE_BIN_RETENTION_MS).toISOString();
  const archived = await archivedMissingFromBinRange(run.db, run.portalId, type, { ...range, retainedSince });
  if (archived.length === 0) return null;
  const fresh = await fetchFresh(
    run.client,
    type,
    archived.map((row) => String(row.id)),
    wanted,
  );
  return { archived, fresh };
}

/**
 * Stores what `lookUpLeftBin` found (inside the page's transaction): restored records come back live
 * with their history and associations; the ones HubSpot no longer has are marked purged, so they are
 * not looked up again.
 */
export async function storeLeftBin(tx: Queryable, portalId: number, left: LeftBin): Promise<void> {
  await storeFresh(tx, portalId, left.fresh, left.archived);
  const answered = new Set(left.fresh.records.map((r) => Number(r.id)));
  await markPurged(
    tx,
    portalId,
    left.fresh.type,
    left.archived.map((row) => row.id).filter((id) => !answered.has(id)),
  );
}

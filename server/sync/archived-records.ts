import { z } from 'zod';
import { withTransaction } from '../db/pool.ts';
import { archiveMirrorRecords, type Departure } from '../db/repositories/mirror-archive.ts';
import { cursorFor, saveCursor } from './checkpoint.ts';
import type { HubSpotCaller } from './hubspot-caller.ts';
import type { MirrorType } from './mirror-types.ts';
import { binPageRange, lookUpLeftBin, storeLeftBin } from './restored-records.ts';
import type { SyncProperties } from './sync-properties.ts';
import { throwIfStopped, type SyncRunContext } from './sync-run-context.ts';

/** The recycle bin is listed like live records: 100 a page, by id (HubSpot keeps deletions 90 days). */
export const ARCHIVED_PAGE_SIZE = 100;

const ArchivedPage = z.object({
  results: z.array(
    z.object({
      id: z.string().regex(/^\d+$/),
      updatedAt: z.date(),
      archivedAt: z.date().nullish(),
    }),
  ),
  paging: z.object({ next: z.object({ after: z.string() }).nullish() }).nullish(),
});

/**
 * One page of a type's recycle bin (`GET /crm/v3/objects/{type}?archived=true`): which records were
 * deleted and when. Search never returns archived records and the listing has no time filter, so this
 * listing is the only way to see deletions besides webhooks. Only the id is asked for.
 */
export async function readArchivedPage(
  client: HubSpotCaller,
  type: MirrorType,
  after: string | null,
): Promise<{ departures: Departure[]; nextAfter: string | null }> {
  const raw = await client.call(
    (sdk) =>
      sdk.crm[type].basicApi.getPage(
        ARCHIVED_PAGE_SIZE,
        after ?? undefined,
        ['hs_object_id'],
        undefined,
        undefined,
        true,
      ),
    { idempotent: true },
  );
  const page = ArchivedPage.parse(raw);
  return {
    departures: page.results.map((r) => ({ id: Number(r.id), at: (r.archivedAt ?? r.updatedAt).toISOString() })),
    nextAfter: page.paging?.next?.after ?? null,
  };
}

/**
 * The full sync's pass over one type's recycle bin (`full:archived:<type>`), after the live listing:
 * mirrored records HubSpot has archived are archived too, each page with its checkpoint. (The live
 * listing already sweeps what it no longer returns; this pass dates those departures and stands on
 * HubSpot's documented word rather than on the listing's id order.) Records the mirror holds as
 * deleted that a page's id range no longer lists are looked up by id: restored ones come back, purged
 * ones are marked (restored-records.ts). A first sync has none, so it makes no such call.
 */
export async function syncArchivedRecords(
  run: SyncRunContext,
  type: MirrorType,
  wanted: SyncProperties,
): Promise<void> {
  const stream = `full:archived:${type}`;
  let cursor = await cursorFor(run.db, run.portalId, stream, run.runId);
  while (!cursor.done) {
    throwIfStopped(run);
    const listedAt = new Date().toISOString();
    const { departures, nextAfter } = await readArchivedPage(run.client, type, cursor.after);
    const ids = departures.map((d) => d.id);
    const fromId = cursor.after === null ? 0 : cursor.lastId;
    const range = binPageRange(fromId, ids, nextAfter);
    const left = range ? await lookUpLeftBin(run, type, wanted, { ...range, listed: ids, listedAt }) : null;
    const next = { runId: run.runId, after: nextAfter, done: nextAfter === null, lastId: ids.at(-1) ?? fromId ?? null };
    await withTransaction(run.db, async (tx) => {
      await archiveMirrorRecords(tx, run.portalId, type, departures);
      if (left) await storeLeftBin(tx, run.portalId, left);
      await saveCursor(tx, run.portalId, stream, next);
    });
    cursor = next;
  }
}

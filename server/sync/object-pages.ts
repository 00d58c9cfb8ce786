import { z } from 'zod';
import { withTransaction } from '../db/pool.ts';
import { archiveMirrorRecords, liveIdsMissingFromRange } from '../db/repositories/mirror-archive.ts';
import { mergeIntoSurvivors } from '../db/repositories/mirror-merges.ts';
import { upsertMirrorRecords } from '../db/repositories/mirror-objects.ts';
import { deleteStageEventsOf, insertStageEvents } from '../db/repositories/mirror-stage-events.ts';
import { addSyncRunRecords } from '../db/repositories/sync-runs.ts';
import { cursorFor, saveCursor, type StreamCursor } from './checkpoint.ts';
import { HubSpotRecord, toMirrorRecord } from './hubspot-record.ts';
import { mergedAwayIn } from './merged-records.ts';
import { isStagedType, type MirrorType } from './mirror-types.ts';
import { stageEventsOf } from './stage-events.ts';
import type { SyncProperties } from './sync-properties.ts';
import { throwIfStopped, type SyncRunContext } from './sync-run-context.ts';

/** HubSpot's list page: 100 records, but only 50 when history is requested (it applies that silently). */
export const PAGE_SIZE = 100;
export const PAGE_SIZE_WITH_HISTORY = 50;

const Page = z.object({
  results: z.array(HubSpotRecord),
  paging: z.object({ next: z.object({ after: z.string() }).nullish() }).nullish(),
});

// A sweep only archives; it does not date the departure, so a page that lists the record after all
// (were HubSpot's order ever not by id) brings it straight back.
const UNDATED = new Date(0).toISOString();

/**
 * Mirrors every live record of one type through the list endpoint, page by page. Each page is
 * written in one transaction with its checkpoint (`full:<type>`), so a worker killed anywhere resumes
 * after the last committed page and never writes half a page. Stage events of a record are replaced
 * only when its row was (a stale page must not replace newer history either).
 *
 * The listing returns live records by ascending id, so a page accounts for every live record of its id
 * range (after the previous page's last id, up to its own last id; the last page to the end): mirrored
 * records of that range it left out were deleted, merged away or purged from the recycle bin, and are
 * archived in the same transaction, at no extra call. A page whose ids are not ascending past the last
 * one sweeps nothing. Survivors of merges fold the records they absorbed (`hs_merged_object_ids`).
 */
export async function syncObjectPages(run: SyncRunContext, type: MirrorType, wanted: SyncProperties): Promise<void> {
  const stream = `full:${type}`;
  const history = isStagedType(type) ? wanted.history : [];
  const limit = history.length > 0 ? PAGE_SIZE_WITH_HISTORY : PAGE_SIZE;
  let cursor = await cursorFor(run.db, run.portalId, stream, run.runId);
  while (!cursor.done) {
    throwIfStopped(run);
    const after = cursor.after ?? undefined;
    const listedAt = new Date().toISOString();
    const raw = await run.client.call(
      (sdk) =>
        sdk.crm[type].basicApi.getPage(
          limit,
          after,
          wanted.properties,
          history.length > 0 ? history : undefined,
          undefined,
          false,
        ),
      { idempotent: true },
    );
    const page = Page.parse(raw);
    const nextAfter = page.paging?.next?.after ?? null;
    const ids = page.results.map((r) => Number(r.id));
    // Where this page's id range starts: the listing's start, or the last id of the page before.
    const fromId = cursor.after === null ? 0 : cursor.lastId;
    const ascending = ids.every((id, i) => id > (i === 0 ? (fromId ?? 0) : ids[i - 1]!));
    const throughId = nextAfter === null ? null : (ids.at(-1) ?? null);
    const next: StreamCursor = {
      runId: run.runId,
      after: nextAfter,
      done: nextAfter === null,
      lastId: ids.at(-1) ?? fromId ?? null,
    };
    await withTransaction(run.db, async (tx) => {
      const written = await upsertMirrorRecords(tx, run.portalId, type, page.results.map(toMirrorRecord));
      if (isStagedType(type) && history.length > 0) {
        const fresh = new Set(written);
        await deleteStageEventsOf(tx, run.portalId, type, written);
        const events = page.results.filter((r) => fresh.has(Number(r.id))).flatMap((r) => stageEventsOf(r, history));
        await insertStageEvents(tx, run.portalId, type, events);
      }
      await mergeIntoSurvivors(tx, run.portalId, type, mergedAwayIn(page.results));
      // A non-empty page without a next cursor ends the listing: its range runs to the end.
      if (fromId !== null && fromId !== undefined && ascending && (throughId !== null || nextAfter === null)) {
        const gone = await liveIdsMissingFromRange(tx, run.portalId, type, {
          afterId: fromId,
          throughId,
          listed: ids,
          listedAt,
        });
        await archiveMirrorRecords(
          tx,
          run.portalId,
          type,
          gone.map((id) => ({ id, at: UNDATED })),
        );
      }
      await addSyncRunRecords(tx, run.portalId, run.runId, page.results.length);
      await saveCursor(tx, run.portalId, stream, next);
    });
    cursor = next;
  }
}

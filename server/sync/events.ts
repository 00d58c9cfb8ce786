import { z } from 'zod';
import { withTransaction } from '../db/pool.ts';
import { upsertHubSpotEvents, type HubSpotEventRow } from '../db/repositories/mirror-events.ts';
import { readCheckpoint, writeCheckpoint } from '../db/repositories/sync-checkpoints.ts';
import { cursorFor, saveCursor } from './checkpoint.ts';
import { throwIfStopped, type SyncRunContext } from './sync-run-context.ts';

/** The events API answers up to 1,000 events a page. */
export const EVENT_PAGE_SIZE = 1_000;

const EventsPage = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      eventType: z.string(),
      objectType: z.string(),
      objectId: z.union([z.string(), z.number()]),
      occurredAt: z.date(),
      properties: z.record(z.string(), z.string()).nullish(),
    }),
  ),
  paging: z.object({ next: z.object({ after: z.string() }).nullish() }).nullish(),
});

type ReadEvents = { events: HubSpotEventRow[]; nextAfter: string | null };

/** One page of contacts' events, oldest first, after `occurredAfter` (exclusive) when given. */
async function readEventsPage(run: SyncRunContext, after: string | null, occurredAfter?: Date): Promise<ReadEvents> {
  const page = EventsPage.parse(
    await run.client.call(
      (sdk) =>
        sdk.events.eventsApi.getPage(
          'contact',
          undefined,
          after ?? undefined,
          undefined,
          EVENT_PAGE_SIZE,
          ['occurredAt'],
          occurredAfter,
        ),
      { idempotent: true },
    ),
  );
  return {
    events: page.results.map((e) => ({
      id: e.id,
      eventType: e.eventType,
      objectType: 'contacts',
      objectId: Number(e.objectId),
      occurredAt: e.occurredAt.toISOString(),
      properties: e.properties ?? {},
    })),
    nextAfter: page.paging?.next?.after ?? null,
  };
}

/**
 * Mirrors contacts' events (page views, form submissions…) as raw rows in `hubspot_events`; the
 * attribution step turns them into touches under its definitions. Oldest first, so events that arrive
 * while paging land after the cursor instead of shifting pages already read.
 */
export async function syncEvents(run: SyncRunContext): Promise<void> {
  const stream = 'full:events:contacts';
  let cursor = await cursorFor(run.db, run.portalId, stream, run.runId);
  while (!cursor.done) {
    throwIfStopped(run);
    const { events, nextAfter } = await readEventsPage(run, cursor.after);
    const next = { runId: run.runId, after: nextAfter, done: nextAfter === null };
    await withTransaction(run.db, async (tx) => {
      await upsertHubSpotEvents(tx, run.portalId, events);
      await saveCursor(tx, run.portalId, stream, next);
    });
    cursor = next;
  }
}

/**
 * Where the incremental sync reads events from: after `sinceMs` (exclusive), at HubSpot's `after`
 * within that query, having seen events up to `lastSeenMs`.
 */
const NewEventsCursor = z.object({
  sinceMs: z.number().int().nonnegative(),
  after: z.string().nullable(),
  lastSeenMs: z.number().int().nonnegative().nullable(),
});

/**
 * The incremental sync's events: those that occurred after the checkpoint (`incremental:events`),
 * oldest first, a page per 1,000 (one call when nothing happened), each page committed with the
 * checkpoint. The next run starts just before the newest event seen, but no closer to now than the
 * search-lag margin: events HubSpot records late are read again rather than missed (upserts by id).
 */
export async function syncNewEvents(
  run: SyncRunContext,
  options: { baselineMs: number; ceilingMs: number },
): Promise<number> {
  const stream = 'incremental:events';
  const stored = NewEventsCursor.safeParse(await readCheckpoint(run.db, run.portalId, stream));
  // A full sync newer than the checkpoint read every event up to its start.
  let cursor =
    stored.success && (stored.data.after !== null || stored.data.sinceMs >= options.baselineMs)
      ? stored.data
      : { sinceMs: Math.max(0, options.baselineMs), after: null, lastSeenMs: null };
  let read = 0;
  for (;;) {
    throwIfStopped(run);
    const { events, nextAfter } = await readEventsPage(run, cursor.after, new Date(cursor.sinceMs));
    read += events.length;
    const lastSeenMs = Math.max(cursor.lastSeenMs ?? 0, ...events.map((e) => Date.parse(e.occurredAt)));
    const next =
      nextAfter !== null
        ? { ...cursor, after: nextAfter, lastSeenMs }
        : {
            sinceMs:
              lastSeenMs > 0 ? Math.max(cursor.sinceMs, Math.min(lastSeenMs - 1, options.ceilingMs)) : cursor.sinceMs,
            after: null,
            lastSeenMs: null,
          };
    await withTransaction(run.db, async (tx) => {
      await upsertHubSpotEvents(tx, run.portalId, events);
      await writeCheckpoint(tx, run.portalId, stream, next);
    });
    if (nextAfter === null) return read;
    cursor = next;
  }
}

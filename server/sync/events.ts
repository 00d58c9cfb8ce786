import { z } from 'zod';
import { withTransaction } from '../db/pool.ts';
import { upsertHubSpotEvents, type HubSpotEventRow } from '../db/repositories/mirror-events.ts';
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
    const after = cursor.after ?? undefined;
    const page = EventsPage.parse(
      await run.client.call(
        (sdk) => sdk.events.eventsApi.getPage('contact', undefined, after, undefined, EVENT_PAGE_SIZE, ['occurredAt']),
        { idempotent: true },
      ),
    );
    const nextAfter = page.paging?.next?.after ?? null;
    const next = { runId: run.runId, after: nextAfter, done: nextAfter === null };
    const events: HubSpotEventRow[] = page.results.map((e) => ({
      id: e.id,
      eventType: e.eventType,
      objectType: 'contacts',
      objectId: Number(e.objectId),
      occurredAt: e.occurredAt.toISOString(),
      properties: e.properties ?? {},
    }));
    await withTransaction(run.db, async (tx) => {
      await upsertHubSpotEvents(tx, run.portalId, events);
      await saveCursor(tx, run.portalId, stream, next);
    });
    cursor = next;
  }
}

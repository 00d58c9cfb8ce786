import { z } from 'zod';
import { readCheckpoint, writeCheckpoint } from '../db/repositories/sync-checkpoints.ts';
import type { Queryable } from '../db/pool.ts';

/**
 * A full-sync stream's place: which run it belongs to, HubSpot's `after` cursor (or the last id read,
 * for streams that page over the mirror), whether the stream finished, and for record listings the
 * last id listed (where the next page's id range starts). A cursor of another run means "not started
 * in this run", so a new full sync needs no cleanup of the last one's checkpoints.
 */
export const StreamCursor = z.object({
  runId: z.number().int().positive(),
  after: z.string().nullable(),
  done: z.boolean(),
  lastId: z.number().int().nonnegative().nullish(),
});
export type StreamCursor = z.infer<typeof StreamCursor>;

export async function cursorFor(db: Queryable, portalId: number, stream: string, runId: number): Promise<StreamCursor> {
  const parsed = StreamCursor.safeParse(await readCheckpoint(db, portalId, stream));
  // Unreadable or from an earlier run: start the stream over (upserts make re-reading harmless).
  if (!parsed.success || parsed.data.runId !== runId) return { runId, after: null, done: false };
  return parsed.data;
}

export function saveCursor(db: Queryable, portalId: number, stream: string, cursor: StreamCursor): Promise<void> {
  return writeCheckpoint(db, portalId, stream, cursor);
}

import type { Queryable } from '../pool.ts';

/** A sync stream's stored cursor as it stands, for progress reports (the sync validates its shape). */
export type SyncStreamState = { stream: string; cursor: unknown; updatedAt: Date };

/**
 * A portal's checkpoints whose stream name starts with `prefix` (`full:`, `incremental:`), read-only:
 * the sync writes them with each page, so they say how far a running sync has come.
 */
export async function listSyncStreamStates(
  db: Queryable,
  portalId: number,
  prefix: string,
): Promise<SyncStreamState[]> {
  const { rows } = await db.query<SyncStreamState>(
    `SELECT stream, cursor, updated_at AS "updatedAt" FROM sync_checkpoints
      WHERE portal_id = $1 AND starts_with(stream, $2)
      ORDER BY stream`,
    [portalId, prefix],
  );
  return rows;
}

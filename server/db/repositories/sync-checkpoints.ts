import type { Queryable } from '../pool.ts';

/** Reads a stream's cursor as stored (the sync validates its shape). */
export async function readCheckpoint(db: Queryable, portalId: number, stream: string): Promise<unknown> {
  const { rows } = await db.query<{ cursor: unknown }>(
    `SELECT cursor FROM sync_checkpoints WHERE portal_id = $1 AND stream = $2`,
    [portalId, stream],
  );
  return rows[0]?.cursor;
}

/** Writes a stream's cursor; called in the transaction of the page it follows. */
export async function writeCheckpoint(db: Queryable, portalId: number, stream: string, cursor: unknown): Promise<void> {
  await db.query(
    `INSERT INTO sync_checkpoints (portal_id, stream, cursor) VALUES ($1, $2, $3)
     ON CONFLICT (portal_id, stream) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
    [portalId, stream, JSON.stringify(cursor)],
  );
}

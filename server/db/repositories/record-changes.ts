import type { Queryable } from '../pool.ts';

/** Who reads the change log (migration 0009); each keeps its own cursor. */
export type ChangeConsumer = 'hygiene' | 'attribution';

/** A mirror record that changed, named by its mirror table (`contacts`, `deals`…). */
export type ChangedRecord = { objectType: string; objectId: number };

export type ChangeBatch = {
  /** The distinct records of the batch. */
  records: ChangedRecord[];
  /** The last change id the batch covers: advance the cursor to it once the batch's results are written. */
  throughId: number;
};

/**
 * Takes the next changes a consumer has not seen, locking its cursor row until the transaction ends so
 * two workers never process the same batch (the second waits, then reads on from where the first
 * stopped). Call inside a transaction and `advanceCursor` in the same one. `throughId` equals the cursor
 * when nothing is pending.
 */
export async function claimChanges(
  tx: Queryable,
  portalId: number,
  consumer: ChangeConsumer,
  limit: number,
): Promise<ChangeBatch> {
  await tx.query(
    `INSERT INTO change_cursors (portal_id, consumer) VALUES ($1, $2) ON CONFLICT (portal_id, consumer) DO NOTHING`,
    [portalId, consumer],
  );
  const cursor = await tx.query<{ last_change_id: string }>(
    `SELECT last_change_id FROM change_cursors WHERE portal_id = $1 AND consumer = $2 FOR UPDATE`,
    [portalId, consumer],
  );
  const after = Number(cursor.rows[0]!.last_change_id);
  const { rows } = await tx.query<{ id: string; object_type: string; object_id: string }>(
    `SELECT id, object_type, object_id FROM record_changes WHERE portal_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [portalId, after, limit],
  );
  const seen = new Map<string, ChangedRecord>();
  for (const row of rows) {
    seen.set(`${row.object_type}:${row.object_id}`, { objectType: row.object_type, objectId: Number(row.object_id) });
  }
  return { records: [...seen.values()], throughId: rows.length === 0 ? after : Number(rows.at(-1)!.id) };
}

/**
 * Moves a consumer's cursor forward (never back) to `throughId`. A whole-portal pass also gives its
 * `now` as `fullPassAt`, once it has written every record: hygiene's issue log reads it as the last
 * time its open findings were seen (findings.ts).
 */
export async function advanceCursor(
  tx: Queryable,
  portalId: number,
  consumer: ChangeConsumer,
  throughId: number,
  options: { fullPassAt?: Date } = {},
): Promise<void> {
  await tx.query(
    `INSERT INTO change_cursors (portal_id, consumer, last_change_id, updated_at, full_pass_at)
     VALUES ($1, $2, $3, now(), $4)
     ON CONFLICT (portal_id, consumer) DO UPDATE
        SET last_change_id = GREATEST(change_cursors.last_change_id, EXCLUDED.last_change_id), updated_at = now(),
            full_pass_at = coalesce(EXCLUDED.full_pass_at, change_cursors.full_pass_at)`,
    [portalId, consumer, throughId, options.fullPassAt ?? null],
  );
}

/** The newest change id of a portal (0 when none): a whole-portal run covers every change up to it. */
export async function latestChangeId(db: Queryable, portalId: number): Promise<number> {
  const { rows } = await db.query<{ id: string | null }>(
    `SELECT max(id) AS id FROM record_changes WHERE portal_id = $1`,
    [portalId],
  );
  return Number(rows[0]?.id ?? 0);
}

/** How many changes a consumer has not processed yet. */
export async function pendingChanges(db: Queryable, portalId: number, consumer: ChangeConsumer): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM record_changes r
      WHERE r.portal_id = $1
        AND r.id > coalesce((SELECT last_change_id FROM change_cursors WHERE portal_id = $1 AND consumer = $2), 0)`,
    [portalId, consumer],
  );
  return Number(rows[0]!.n);
}

/** Deletes the changes every consumer has processed; a consumer that never ran keeps everything. */
export async function pruneChanges(db: Queryable, portalId: number): Promise<number> {
  const result = await db.query(
    `DELETE FROM record_changes
      WHERE portal_id = $1
        AND id <= (SELECT CASE WHEN count(*) = 2 THEN min(last_change_id) ELSE 0 END
                     FROM change_cursors WHERE portal_id = $1)`,
    [portalId],
  );
  return result.rowCount ?? 0;
}

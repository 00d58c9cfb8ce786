import type { Queryable } from '../pool.ts';

/** One checklist item done on a record: who checked it (HubSpot user) and when. */
export type ChecklistItemRow = {
  objectId: number;
  checklist: string;
  item: string;
  doneByUserId: number;
  doneByEmail: string | null;
  doneAt: Date;
};

/** The items done on some records of one type, in checklist and item order. */
export async function listChecklistItems(
  db: Queryable,
  portalId: number,
  objectType: string,
  objectIds: readonly number[],
): Promise<ChecklistItemRow[]> {
  if (objectIds.length === 0) return [];
  const { rows } = await db.query<ChecklistItemRow>(
    `SELECT object_id AS "objectId", checklist, item, done_by_user_id AS "doneByUserId",
            done_by_email AS "doneByEmail", done_at AS "doneAt"
       FROM checklist_items
      WHERE portal_id = $1 AND object_type = $2 AND object_id = ANY($3::bigint[])
      ORDER BY object_id, checklist, item`,
    [portalId, objectType, objectIds],
  );
  return rows;
}

/**
 * Marks one item done (keeping who first checked it and when, should it be checked twice) or not done.
 * Returns whether anything changed.
 */
export async function setChecklistItem(
  db: Queryable,
  portalId: number,
  target: { objectType: string; objectId: number; checklist: string; item: string },
  done: { userId: number; email: string | null; at: Date } | null,
): Promise<boolean> {
  if (done === null) {
    const { rowCount } = await db.query(
      `DELETE FROM checklist_items
        WHERE portal_id = $1 AND object_type = $2 AND object_id = $3 AND checklist = $4 AND item = $5`,
      [portalId, target.objectType, target.objectId, target.checklist, target.item],
    );
    return (rowCount ?? 0) > 0;
  }
  const { rowCount } = await db.query(
    `INSERT INTO checklist_items (portal_id, object_type, object_id, checklist, item, done_by_user_id, done_by_email, done_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (portal_id, object_type, object_id, checklist, item) DO NOTHING`,
    [portalId, target.objectType, target.objectId, target.checklist, target.item, done.userId, done.email, done.at],
  );
  return (rowCount ?? 0) > 0;
}

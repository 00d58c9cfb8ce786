import type { Queryable } from '../pool.ts';

/** One association, already in the stored direction (fromType < toType). */
export type AssociationRow = { fromType: string; fromId: number; toType: string; toId: number };

/**
 * Forgets every association between `ids` (of `idType`) and `otherType`, in whichever direction it is
 * stored, so re-reading those ids replaces their associations (removed ones included).
 */
export async function deleteAssociationsOf(
  db: Queryable,
  portalId: number,
  idType: string,
  ids: readonly number[],
  otherType: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `DELETE FROM associations
      WHERE portal_id = $1
        AND ((from_type = $2 AND to_type = $3 AND from_id = ANY($4::bigint[]))
          OR (to_type = $2 AND from_type = $3 AND to_id = ANY($4::bigint[])))`,
    [portalId, idType, otherType, ids],
  );
}

export async function insertAssociations(
  db: Queryable,
  portalId: number,
  rows: readonly AssociationRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id)
     SELECT $1, a."fromType", a."fromId", a."toType", a."toId"
       FROM jsonb_to_recordset($2::jsonb) AS a("fromType" text, "fromId" bigint, "toType" text, "toId" bigint)
     ON CONFLICT DO NOTHING`,
    [portalId, JSON.stringify(rows)],
  );
}

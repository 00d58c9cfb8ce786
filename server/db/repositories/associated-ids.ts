import type { Queryable } from '../pool.ts';

/**
 * Ids of the `toType` records associated with any of `ids` (of `fromType`), whichever direction the
 * pair is stored in (the mirror keeps each pair once, from the type that sorts first).
 */
export async function associatedIds(
  db: Queryable,
  portalId: number,
  fromType: string,
  ids: readonly number[],
  toType: string,
): Promise<number[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    `SELECT to_id AS id FROM associations
      WHERE portal_id = $1 AND from_type = $2 AND from_id = ANY($3::bigint[]) AND to_type = $4
     UNION
     SELECT from_id FROM associations
      WHERE portal_id = $1 AND to_type = $2 AND to_id = ANY($3::bigint[]) AND from_type = $4`,
    [portalId, fromType, ids, toType],
  );
  return rows.map((r) => Number(r.id));
}

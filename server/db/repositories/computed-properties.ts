import type { Queryable } from '../pool.ts';

export type ComputedRow = { objectType: string; objectId: number; properties: Record<string, string> };

/**
 * Stores one producer's values for a set of records (replacing that producer's earlier values for them).
 * A row whose values are unchanged is left as it is (no new row version, `computed_at` stays): write-back
 * compares the values with its ledger, never the time, and a daily run then rewrites only what moved.
 * The portal row is FOR KEY SHARE locked first, as the foreign key this table no longer has would lock
 * it (migration 0020): a portal's deletion waits for the transaction, and a write after it finds no
 * portal and inserts nothing. (A whole-portal hygiene pass writes its values with `recordPassBatch`.)
 */
export async function saveComputedProperties(
  db: Queryable,
  portalId: number,
  source: 'hygiene' | 'attribution',
  computedAt: Date,
  rows: ComputedRow[],
): Promise<void> {
  if (rows.length === 0) return;
  // Ids and types as arrays, the values as one JSON array in the same order: each map is then parsed
  // once, as the jsonb it is stored as.
  await db.query({
    name: 'computed-properties-save',
    text: `WITH portal AS (SELECT portal_id FROM portals WHERE portal_id = $1 FOR KEY SHARE)
     INSERT INTO computed_properties (portal_id, object_type, object_id, source, properties, computed_at)
     SELECT portal.portal_id, r.object_type, r.object_id, $2, p.properties, $3
       FROM portal
      CROSS JOIN unnest($4::text[], $5::bigint[]) WITH ORDINALITY AS r(object_type, object_id, n)
       JOIN jsonb_array_elements($6::jsonb) WITH ORDINALITY AS p(properties, n) USING (n)
     ON CONFLICT (portal_id, object_type, object_id, source)
     DO UPDATE SET properties = EXCLUDED.properties, computed_at = EXCLUDED.computed_at
      WHERE computed_properties.properties IS DISTINCT FROM EXCLUDED.properties`,
    values: [
      portalId,
      source,
      computedAt,
      rows.map((r) => r.objectType),
      rows.map((r) => r.objectId),
      JSON.stringify(rows.map((r) => r.properties)),
    ],
  });
}

/** Every record's computed values, the producers' maps merged (their property names never overlap). */
export async function listComputedProperties(db: Queryable, portalId: number): Promise<ComputedRow[]> {
  const { rows } = await db.query<{ objectType: string; objectId: number; parts: Record<string, string>[] }>(
    `SELECT object_type AS "objectType", object_id AS "objectId", array_agg(properties ORDER BY source) AS parts
       FROM computed_properties WHERE portal_id = $1
      GROUP BY object_type, object_id ORDER BY object_type, object_id`,
    [portalId],
  );
  return rows.map((r) => ({
    objectType: r.objectType,
    objectId: r.objectId,
    properties: Object.assign({}, ...r.parts),
  }));
}

/** One producer's stored values for some records of a type, by record id. */
export async function computedPropertiesOf(
  db: Queryable,
  portalId: number,
  source: 'hygiene' | 'attribution',
  objectType: string,
  ids: readonly number[],
): Promise<Map<number, Record<string, string>>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ object_id: string; properties: Record<string, string> }>(
    `SELECT object_id, properties FROM computed_properties
      WHERE portal_id = $1 AND source = $2 AND object_type = $3 AND object_id = ANY($4::bigint[])`,
    [portalId, source, objectType, ids],
  );
  return new Map(rows.map((r) => [Number(r.object_id), r.properties]));
}

/** Forgets one producer's values for some records (recomputed to nothing, or gone). */
export async function deleteComputedProperties(
  db: Queryable,
  portalId: number,
  source: 'hygiene' | 'attribution',
  objectType: string,
  ids: readonly number[],
): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `DELETE FROM computed_properties
      WHERE portal_id = $1 AND source = $2 AND object_type = $3 AND object_id = ANY($4::bigint[])`,
    [portalId, source, objectType, ids],
  );
}

/** Forgets all of one producer's values (a whole-portal run is about to store the complete set). */
export async function deleteAllComputedProperties(
  db: Queryable,
  portalId: number,
  source: 'hygiene' | 'attribution',
): Promise<void> {
  await db.query(`DELETE FROM computed_properties WHERE portal_id = $1 AND source = $2`, [portalId, source]);
}

import type { Queryable } from '../pool.ts';
import type { MirrorTable } from './mirror-objects.ts';

// One statement per table: table names are never built into SQL.
const ARCHIVE: Record<MirrorTable, string> = {
  contacts: `UPDATE contacts SET archived = true, merged_into_id = COALESCE($3, merged_into_id)
              WHERE portal_id = $1 AND id = ANY($2::bigint[])`,
  companies: `UPDATE companies SET archived = true, merged_into_id = COALESCE($3, merged_into_id)
               WHERE portal_id = $1 AND id = ANY($2::bigint[])`,
  deals: `UPDATE deals SET archived = true, merged_into_id = COALESCE($3, merged_into_id)
           WHERE portal_id = $1 AND id = ANY($2::bigint[])`,
  tickets: `UPDATE tickets SET archived = true, merged_into_id = COALESCE($3, merged_into_id)
             WHERE portal_id = $1 AND id = ANY($2::bigint[])`,
};

/**
 * Marks records deleted in HubSpot (or merged into `mergedInto`) as archived. They stay in the mirror,
 * as HubSpot keeps them in its recycle bin, but every reader skips archived records.
 */
export async function archiveMirrorRecords(
  db: Queryable,
  portalId: number,
  table: MirrorTable,
  ids: readonly number[],
  mergedInto: number | null = null,
): Promise<number> {
  if (ids.length === 0) return 0;
  const { rowCount } = await db.query(ARCHIVE[table], [portalId, ids, mergedInto]);
  return rowCount ?? 0;
}

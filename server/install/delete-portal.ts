import type { Queryable } from '../db/pool.ts';

export type DeletionReport = { portalId: number; rowCounts: Record<string, number> };

/**
 * Deletes all of one portal's data, in one transaction, leaving an audit row of what went. The work is
 * done by the `delete_portal_data` SQL function (migration 0002), which finds every table with a
 * `portal_id` column in the catalog. Callers also stop the portal's schedules and forget its Redis state.
 */
export async function deletePortalData(db: Queryable, portalId: number, reason: string): Promise<DeletionReport> {
  const { rows } = await db.query<{ counts: Record<string, number> }>(`SELECT delete_portal_data($1, $2) AS counts`, [
    portalId,
    reason,
  ]);
  return { portalId, rowCounts: rows[0]?.counts ?? {} };
}

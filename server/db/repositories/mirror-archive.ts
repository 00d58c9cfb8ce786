import type { Queryable } from '../pool.ts';
import type { MirrorTable } from './mirror-objects.ts';

/** A record that left HubSpot's live set, and when (HubSpot's archivedAt, or when the app learnt of it). */
export type Departure = { id: number; at: string };

// One statement per table: table names are never built into SQL. `updated_at` moves up to the departure,
// so a page read before it (a retried or reordered one) can't bring the record back: the upsert only
// replaces a row with a version at least as new.
const ARCHIVE: Record<MirrorTable, string> = {
  contacts: `UPDATE contacts t SET archived = true, merged_into_id = COALESCE($4, t.merged_into_id), purged_at = NULL,
                    updated_at = GREATEST(t.updated_at, d.at)
               FROM unnest($2::bigint[], $3::timestamptz[]) AS d(id, at)
              WHERE t.portal_id = $1 AND t.id = d.id
          RETURNING t.id`,
  companies: `UPDATE companies t SET archived = true, merged_into_id = COALESCE($4, t.merged_into_id), purged_at = NULL,
                     updated_at = GREATEST(t.updated_at, d.at)
                FROM unnest($2::bigint[], $3::timestamptz[]) AS d(id, at)
               WHERE t.portal_id = $1 AND t.id = d.id
           RETURNING t.id`,
  deals: `UPDATE deals t SET archived = true, merged_into_id = COALESCE($4, t.merged_into_id), purged_at = NULL,
                 updated_at = GREATEST(t.updated_at, d.at)
            FROM unnest($2::bigint[], $3::timestamptz[]) AS d(id, at)
           WHERE t.portal_id = $1 AND t.id = d.id
       RETURNING t.id`,
  tickets: `UPDATE tickets t SET archived = true, merged_into_id = COALESCE($4, t.merged_into_id), purged_at = NULL,
                   updated_at = GREATEST(t.updated_at, d.at)
              FROM unnest($2::bigint[], $3::timestamptz[]) AS d(id, at)
             WHERE t.portal_id = $1 AND t.id = d.id
         RETURNING t.id`,
};

// Live rows of an id range that a full listing of that range did not return.
const MISSING_IN_RANGE: Record<MirrorTable, string> = {
  contacts: `SELECT id FROM contacts WHERE portal_id = $1 AND NOT archived AND id > $2 AND ($3::bigint IS NULL OR id <= $3)
                AND NOT (id = ANY($4::bigint[])) AND updated_at <= $5 ORDER BY id`,
  companies: `SELECT id FROM companies WHERE portal_id = $1 AND NOT archived AND id > $2 AND ($3::bigint IS NULL OR id <= $3)
                 AND NOT (id = ANY($4::bigint[])) AND updated_at <= $5 ORDER BY id`,
  deals: `SELECT id FROM deals WHERE portal_id = $1 AND NOT archived AND id > $2 AND ($3::bigint IS NULL OR id <= $3)
             AND NOT (id = ANY($4::bigint[])) AND updated_at <= $5 ORDER BY id`,
  tickets: `SELECT id FROM tickets WHERE portal_id = $1 AND NOT archived AND id > $2 AND ($3::bigint IS NULL OR id <= $3)
               AND NOT (id = ANY($4::bigint[])) AND updated_at <= $5 ORDER BY id`,
};

/**
 * Marks records deleted in HubSpot (or merged into `mergedInto`) as archived and forgets their
 * associations, as HubSpot no longer lists them from the other side. The rows stay, as HubSpot keeps
 * records in its recycle bin, but every reader skips archived records. Returns the ids the mirror had.
 */
export async function archiveMirrorRecords(
  db: Queryable,
  portalId: number,
  table: MirrorTable,
  departures: readonly Departure[],
  mergedInto: number | null = null,
): Promise<number[]> {
  if (departures.length === 0) return [];
  const { rows } = await db.query<{ id: number }>(ARCHIVE[table], [
    portalId,
    departures.map((d) => d.id),
    departures.map((d) => d.at),
    mergedInto,
  ]);
  const ids = rows.map((r) => r.id);
  if (ids.length > 0)
    await db.query(
      `DELETE FROM associations
        WHERE portal_id = $1
          AND ((from_type = $2 AND from_id = ANY($3::bigint[])) OR (to_type = $2 AND to_id = ANY($3::bigint[])))`,
      [portalId, table, ids],
    );
  return ids;
}

/**
 * Live mirror rows with an id in (`afterId`, `throughId`] (no upper bound when null) that are not in
 * `listed`, among those not modified after `listedAt`: a listing of that whole id range left them out,
 * so HubSpot no longer has them live. Rows written after the listing (a webhook's re-read) are spared.
 */
export async function liveIdsMissingFromRange(
  db: Queryable,
  portalId: number,
  table: MirrorTable,
  range: { afterId: number; throughId: number | null; listed: readonly number[]; listedAt: string },
): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(MISSING_IN_RANGE[table], [
    portalId,
    range.afterId,
    range.throughId,
    range.listed,
    range.listedAt,
  ]);
  return rows.map((r) => r.id);
}

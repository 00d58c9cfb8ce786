import type { Queryable } from '../pool.ts';
import type { MirrorTable } from './mirror-objects.ts';

/**
 * An archived mirror row and its `updated_at` as Postgres prints it (text keeps the microseconds a
 * JavaScript Date would drop), so a later write can check that nothing archived it again meanwhile.
 */
export type ArchivedRow = { id: number; seen: string };

// One statement per table: table names are never built into SQL.
const LEFT_BIN_IN_RANGE: Record<MirrorTable, string> = {
  contacts: `SELECT id, updated_at::text AS seen FROM contacts
              WHERE portal_id = $1 AND archived AND merged_into_id IS NULL AND purged_at IS NULL
                AND id > $2 AND ($3::bigint IS NULL OR id <= $3) AND NOT (id = ANY($4::bigint[]))
                AND updated_at <= $5 AND updated_at > $6 ORDER BY id`,
  companies: `SELECT id, updated_at::text AS seen FROM companies
               WHERE portal_id = $1 AND archived AND merged_into_id IS NULL AND purged_at IS NULL
                 AND id > $2 AND ($3::bigint IS NULL OR id <= $3) AND NOT (id = ANY($4::bigint[]))
                 AND updated_at <= $5 AND updated_at > $6 ORDER BY id`,
  deals: `SELECT id, updated_at::text AS seen FROM deals
           WHERE portal_id = $1 AND archived AND merged_into_id IS NULL AND purged_at IS NULL
             AND id > $2 AND ($3::bigint IS NULL OR id <= $3) AND NOT (id = ANY($4::bigint[]))
             AND updated_at <= $5 AND updated_at > $6 ORDER BY id`,
  tickets: `SELECT id, updated_at::text AS seen FROM tickets
             WHERE portal_id = $1 AND archived AND merged_into_id IS NULL AND purged_at IS NULL
               AND id > $2 AND ($3::bigint IS NULL OR id <= $3) AND NOT (id = ANY($4::bigint[]))
               AND updated_at <= $5 AND updated_at > $6 ORDER BY id`,
};

/**
 * Archived rows the mirror believes are in HubSpot's recycle bin (deleted, not merged away, not found
 * purged) with an id in (`afterId`, `throughId`] (no upper bound when null) that a listing of the bin
 * over that whole range did not return: restored since, or purged. Rows archived after the listing
 * (`listedAt`) are left out, as are departures older than `retainedSince` (HubSpot empties its bin
 * after 90 days: those can't come back).
 */
export async function archivedMissingFromBinRange(
  db: Queryable,
  portalId: number,
  table: MirrorTable,
  range: {
    afterId: number;
    throughId: number | null;
    listed: readonly number[];
    listedAt: string;
    retainedSince: string;
  },
): Promise<ArchivedRow[]> {
  const { rows } = await db.query<{ id: string; seen: string }>(LEFT_BIN_IN_RANGE[table], [
    portalId,
    range.afterId,
    range.throughId,
    range.listed,
    range.listedAt,
    range.retainedSince,
  ]);
  return rows.map((r) => ({ id: Number(r.id), seen: r.seen }));
}

const ARCHIVED_AMONG: Record<MirrorTable, string> = {
  contacts: `SELECT id, updated_at::text AS seen FROM contacts
              WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND archived AND merged_into_id IS NULL`,
  companies: `SELECT id, updated_at::text AS seen FROM companies
               WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND archived AND merged_into_id IS NULL`,
  deals: `SELECT id, updated_at::text AS seen FROM deals
           WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND archived AND merged_into_id IS NULL`,
  tickets: `SELECT id, updated_at::text AS seen FROM tickets
             WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND archived AND merged_into_id IS NULL`,
};

/** Which of `ids` the mirror holds as deleted (archived, not merged away), with their `updated_at`. */
export async function archivedAmong(
  db: Queryable,
  portalId: number,
  table: MirrorTable,
  ids: readonly number[],
): Promise<ArchivedRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: string; seen: string }>(ARCHIVED_AMONG[table], [portalId, ids]);
  return rows.map((r) => ({ id: Number(r.id), seen: r.seen }));
}

// The archived row takes the version HubSpot now answers, even an older one (a restore gives back the
// record as it was before its deletion), provided nothing archived it again since it was seen.
const REVIVE: Record<MirrorTable, string> = {
  contacts: `UPDATE contacts t SET updated_at = r.updated_at, purged_at = NULL
               FROM unnest($2::bigint[], $3::text[], $4::timestamptz[]) AS r(id, seen, updated_at)
              WHERE t.portal_id = $1 AND t.id = r.id AND t.archived AND t.merged_into_id IS NULL
                AND t.updated_at = r.seen::timestamptz
          RETURNING t.id`,
  companies: `UPDATE companies t SET updated_at = r.updated_at, purged_at = NULL
                FROM unnest($2::bigint[], $3::text[], $4::timestamptz[]) AS r(id, seen, updated_at)
               WHERE t.portal_id = $1 AND t.id = r.id AND t.archived AND t.merged_into_id IS NULL
                 AND t.updated_at = r.seen::timestamptz
           RETURNING t.id`,
  deals: `UPDATE deals t SET updated_at = r.updated_at, purged_at = NULL
            FROM unnest($2::bigint[], $3::text[], $4::timestamptz[]) AS r(id, seen, updated_at)
           WHERE t.portal_id = $1 AND t.id = r.id AND t.archived AND t.merged_into_id IS NULL
             AND t.updated_at = r.seen::timestamptz
       RETURNING t.id`,
  tickets: `UPDATE tickets t SET updated_at = r.updated_at, purged_at = NULL
              FROM unnest($2::bigint[], $3::text[], $4::timestamptz[]) AS r(id, seen, updated_at)
             WHERE t.portal_id = $1 AND t.id = r.id AND t.archived AND t.merged_into_id IS NULL
               AND t.updated_at = r.seen::timestamptz
         RETURNING t.id`,
};

/**
 * Makes archived rows that HubSpot answered live again (read by id after the row was `seen` archived)
 * writable by the version read: their `updated_at` goes to that version's, so the upsert that follows
 * in the same transaction stores it, live. The "never older" rule otherwise refuses it, as archiving
 * moved `updated_at` up to the departure and a restored record may come back with an older one. A row
 * archived again since it was seen is left alone. Returns the ids made writable.
 */
export async function reviveArchived(
  db: Queryable,
  portalId: number,
  table: MirrorTable,
  revivals: readonly { id: number; seen: string; updatedAt: string }[],
): Promise<number[]> {
  if (revivals.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(REVIVE[table], [
    portalId,
    revivals.map((r) => r.id),
    revivals.map((r) => r.seen),
    revivals.map((r) => r.updatedAt),
  ]);
  return rows.map((r) => Number(r.id));
}

const MARK_PURGED: Record<MirrorTable, string> = {
  contacts: `UPDATE contacts SET purged_at = now()
              WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND archived AND merged_into_id IS NULL AND purged_at IS NULL`,
  companies: `UPDATE companies SET purged_at = now()
               WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND archived AND merged_into_id IS NULL AND purged_at IS NULL`,
  deals: `UPDATE deals SET purged_at = now()
           WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND archived AND merged_into_id IS NULL AND purged_at IS NULL`,
  tickets: `UPDATE tickets SET purged_at = now()
             WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND archived AND merged_into_id IS NULL AND purged_at IS NULL`,
};

/** Archived rows HubSpot has in neither its live set nor its recycle bin: not looked up again. */
export async function markPurged(db: Queryable, portalId: number, table: MirrorTable, ids: readonly number[]) {
  if (ids.length === 0) return;
  await db.query(MARK_PURGED[table], [portalId, ids]);
}

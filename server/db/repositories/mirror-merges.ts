import type { Queryable } from '../pool.ts';
import type { MirrorTable } from './mirror-objects.ts';

/** A record merged away in HubSpot: the record it went into, and when (the survivor's last-modified). */
export type MergedAway = { id: number; survivorId: number; at: string };

// A merged-away record: archived and pointing at its survivor, or a row saying so when the mirror never
// had it (merged before the first sync), so events naming the old id can still be led to the survivor.
// `updated_at` moves up to the merge, so a page read before it can't bring the record back.
const MERGED_AWAY: Record<MirrorTable, string> = {
  contacts: `INSERT INTO contacts (portal_id, id, properties, created_at, updated_at, archived, merged_into_id)
             SELECT $1, m.id, '{}', m.at, m.at, true, m.survivor
               FROM unnest($2::bigint[], $3::bigint[], $4::timestamptz[]) AS m(id, survivor, at)
             ON CONFLICT (portal_id, id) DO UPDATE
               SET archived = true, merged_into_id = EXCLUDED.merged_into_id,
                   updated_at = GREATEST(contacts.updated_at, EXCLUDED.updated_at)`,
  companies: `INSERT INTO companies (portal_id, id, properties, created_at, updated_at, archived, merged_into_id)
              SELECT $1, m.id, '{}', m.at, m.at, true, m.survivor
                FROM unnest($2::bigint[], $3::bigint[], $4::timestamptz[]) AS m(id, survivor, at)
              ON CONFLICT (portal_id, id) DO UPDATE
                SET archived = true, merged_into_id = EXCLUDED.merged_into_id,
                    updated_at = GREATEST(companies.updated_at, EXCLUDED.updated_at)`,
  deals: `INSERT INTO deals (portal_id, id, properties, created_at, updated_at, archived, merged_into_id)
          SELECT $1, m.id, '{}', m.at, m.at, true, m.survivor
            FROM unnest($2::bigint[], $3::bigint[], $4::timestamptz[]) AS m(id, survivor, at)
          ON CONFLICT (portal_id, id) DO UPDATE
            SET archived = true, merged_into_id = EXCLUDED.merged_into_id,
                updated_at = GREATEST(deals.updated_at, EXCLUDED.updated_at)`,
  tickets: `INSERT INTO tickets (portal_id, id, properties, created_at, updated_at, archived, merged_into_id)
            SELECT $1, m.id, '{}', m.at, m.at, true, m.survivor
              FROM unnest($2::bigint[], $3::bigint[], $4::timestamptz[]) AS m(id, survivor, at)
            ON CONFLICT (portal_id, id) DO UPDATE
              SET archived = true, merged_into_id = EXCLUDED.merged_into_id,
                  updated_at = GREATEST(tickets.updated_at, EXCLUDED.updated_at)`,
};

// Records merged earlier into one now merged away point at the newest survivor.
const REPOINT_EARLIER: Record<MirrorTable, string> = {
  contacts: `UPDATE contacts t SET merged_into_id = m.survivor FROM unnest($2::bigint[], $3::bigint[]) AS m(id, survivor)
              WHERE t.portal_id = $1 AND t.merged_into_id = m.id`,
  companies: `UPDATE companies t SET merged_into_id = m.survivor FROM unnest($2::bigint[], $3::bigint[]) AS m(id, survivor)
               WHERE t.portal_id = $1 AND t.merged_into_id = m.id`,
  deals: `UPDATE deals t SET merged_into_id = m.survivor FROM unnest($2::bigint[], $3::bigint[]) AS m(id, survivor)
           WHERE t.portal_id = $1 AND t.merged_into_id = m.id`,
  tickets: `UPDATE tickets t SET merged_into_id = m.survivor FROM unnest($2::bigint[], $3::bigint[]) AS m(id, survivor)
             WHERE t.portal_id = $1 AND t.merged_into_id = m.id`,
};

/**
 * Folds merged-away records into their survivors (call inside the transaction that stores the
 * survivors): they are archived with `merged_into_id` (earlier merges into them follow), their
 * associations and stage events go (HubSpot hands the survivor both records' associations and
 * histories, read with it), and for contacts their HubSpot events, ingested touches and derived touches
 * move to the survivor, so hygiene and attribution see one contact with every touch.
 */
export async function mergeIntoSurvivors(
  db: Queryable,
  portalId: number,
  table: MirrorTable,
  mergedAway: readonly MergedAway[],
): Promise<void> {
  const merges = mergedAway.filter((m) => m.id !== m.survivorId);
  if (merges.length === 0) return;
  const ids = merges.map((m) => m.id);
  const survivors = merges.map((m) => m.survivorId);
  await db.query(MERGED_AWAY[table], [portalId, ids, survivors, merges.map((m) => m.at)]);
  await db.query(REPOINT_EARLIER[table], [portalId, ids, survivors]);
  await db.query(
    `DELETE FROM associations
      WHERE portal_id = $1
        AND ((from_type = $2 AND from_id = ANY($3::bigint[])) OR (to_type = $2 AND to_id = ANY($3::bigint[])))`,
    [portalId, table, ids],
  );
  await db.query(
    `DELETE FROM stage_events WHERE portal_id = $1 AND object_type = $2 AND object_id = ANY($3::bigint[])`,
    [portalId, table, ids],
  );
  if (table !== 'contacts') return;
  await db.query(
    `UPDATE hubspot_events e SET object_id = m.survivor FROM unnest($2::bigint[], $3::bigint[]) AS m(id, survivor)
      WHERE e.portal_id = $1 AND e.object_type = 'contacts' AND e.object_id = m.id`,
    [portalId, ids, survivors],
  );
  await db.query(
    `UPDATE ingested_touches t SET contact_id = m.survivor FROM unnest($2::bigint[], $3::bigint[]) AS m(id, survivor)
      WHERE t.portal_id = $1 AND t.contact_id = m.id`,
    [portalId, ids, survivors],
  );
  await db.query(
    `UPDATE touches t SET contact_id = m.survivor FROM unnest($2::bigint[], $3::bigint[]) AS m(id, survivor)
      WHERE t.portal_id = $1 AND t.contact_id = m.id`,
    [portalId, ids, survivors],
  );
}

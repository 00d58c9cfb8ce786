import type { Queryable } from '../pool.ts';

/** One CRM record as the mirror stores it: HubSpot's property strings as sent, times as ISO strings. */
export type MirrorRecord = {
  id: number;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
};

export type MirrorTable = 'contacts' | 'companies' | 'deals' | 'tickets';

// One statement per table (table names can't be parameters). A stored record is replaced only by one
// at least as new: a retried or reordered older page never rolls a record back. A version of the record
// means HubSpot has it, so it is not purged (migration 0016).
const UPSERT: Record<MirrorTable, string> = {
  contacts: `INSERT INTO contacts (portal_id, id, properties, created_at, updated_at, archived)
     SELECT $1, r.id, r.properties, r."createdAt", r."updatedAt", r.archived
       FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, properties jsonb, "createdAt" timestamptz, "updatedAt" timestamptz, archived boolean)
     ON CONFLICT (portal_id, id) DO UPDATE
       SET properties = EXCLUDED.properties, created_at = EXCLUDED.created_at,
           updated_at = EXCLUDED.updated_at, archived = EXCLUDED.archived, purged_at = NULL
       WHERE contacts.updated_at <= EXCLUDED.updated_at
     RETURNING id`,
  companies: `INSERT INTO companies (portal_id, id, properties, created_at, updated_at, archived)
     SELECT $1, r.id, r.properties, r."createdAt", r."updatedAt", r.archived
       FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, properties jsonb, "createdAt" timestamptz, "updatedAt" timestamptz, archived boolean)
     ON CONFLICT (portal_id, id) DO UPDATE
       SET properties = EXCLUDED.properties, created_at = EXCLUDED.created_at,
           updated_at = EXCLUDED.updated_at, archived = EXCLUDED.archived, purged_at = NULL
       WHERE companies.updated_at <= EXCLUDED.updated_at
     RETURNING id`,
  deals: `INSERT INTO deals (portal_id, id, properties, created_at, updated_at, archived)
     SELECT $1, r.id, r.properties, r."createdAt", r."updatedAt", r.archived
       FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, properties jsonb, "createdAt" timestamptz, "updatedAt" timestamptz, archived boolean)
     ON CONFLICT (portal_id, id) DO UPDATE
       SET properties = EXCLUDED.properties, created_at = EXCLUDED.created_at,
           updated_at = EXCLUDED.updated_at, archived = EXCLUDED.archived, purged_at = NULL
       WHERE deals.updated_at <= EXCLUDED.updated_at
     RETURNING id`,
  tickets: `INSERT INTO tickets (portal_id, id, properties, created_at, updated_at, archived)
     SELECT $1, r.id, r.properties, r."createdAt", r."updatedAt", r.archived
       FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, properties jsonb, "createdAt" timestamptz, "updatedAt" timestamptz, archived boolean)
     ON CONFLICT (portal_id, id) DO UPDATE
       SET properties = EXCLUDED.properties, created_at = EXCLUDED.created_at,
           updated_at = EXCLUDED.updated_at, archived = EXCLUDED.archived, purged_at = NULL
       WHERE tickets.updated_at <= EXCLUDED.updated_at
     RETURNING id`,
};

/** Upserts records; returns the ids actually written (those not older than the stored version). */
export async function upsertMirrorRecords(
  db: Queryable,
  portalId: number,
  table: MirrorTable,
  records: readonly MirrorRecord[],
): Promise<number[]> {
  if (records.length === 0) return [];
  const { rows } = await db.query<{ id: number }>(UPSERT[table], [portalId, JSON.stringify(records)]);
  return rows.map((r) => r.id);
}

const IDS_AFTER: Record<MirrorTable, string> = {
  contacts: `SELECT id FROM contacts WHERE portal_id = $1 AND id > $2 AND NOT archived ORDER BY id LIMIT $3`,
  companies: `SELECT id FROM companies WHERE portal_id = $1 AND id > $2 AND NOT archived ORDER BY id LIMIT $3`,
  deals: `SELECT id FROM deals WHERE portal_id = $1 AND id > $2 AND NOT archived ORDER BY id LIMIT $3`,
  tickets: `SELECT id FROM tickets WHERE portal_id = $1 AND id > $2 AND NOT archived ORDER BY id LIMIT $3`,
};

/** The next `limit` live record ids after `afterId`, ascending (the association step pages on them). */
export async function mirrorIdsAfter(
  db: Queryable,
  portalId: number,
  table: MirrorTable,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(IDS_AFTER[table], [portalId, afterId, limit]);
  return rows.map((r) => r.id);
}

const COUNT: Record<MirrorTable, string> = {
  contacts: `SELECT count(*)::bigint AS n FROM contacts WHERE portal_id = $1 AND NOT archived`,
  companies: `SELECT count(*)::bigint AS n FROM companies WHERE portal_id = $1 AND NOT archived`,
  deals: `SELECT count(*)::bigint AS n FROM deals WHERE portal_id = $1 AND NOT archived`,
  tickets: `SELECT count(*)::bigint AS n FROM tickets WHERE portal_id = $1 AND NOT archived`,
};

export async function countMirrorRecords(db: Queryable, portalId: number, table: MirrorTable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(COUNT[table], [portalId]);
  return rows[0]?.n ?? 0;
}

import type { Queryable } from '../pool.ts';

export type OwnerRow = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  archived: boolean;
};

export async function upsertOwners(db: Queryable, portalId: number, owners: readonly OwnerRow[]): Promise<void> {
  if (owners.length === 0) return;
  await db.query(
    `INSERT INTO owners (portal_id, id, email, first_name, last_name, archived)
     SELECT $1, o.id, o.email, o."firstName", o."lastName", o.archived
       FROM jsonb_to_recordset($2::jsonb) AS o(id text, email text, "firstName" text, "lastName" text, archived boolean)
     ON CONFLICT (portal_id, id) DO UPDATE
       SET email = EXCLUDED.email, first_name = EXCLUDED.first_name,
           last_name = EXCLUDED.last_name, archived = EXCLUDED.archived`,
    [portalId, JSON.stringify(owners)],
  );
}

/** The ids of the owners the mirror knows, to tell when a record names one it doesn't. */
export async function knownOwnerIds(db: Queryable, portalId: number): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM owners WHERE portal_id = $1`, [portalId]);
  return new Set(rows.map((r) => r.id));
}

/** The portal's owners for pickers (reports filter by owner), active ones first, then by email. */
export async function listOwners(
  db: Queryable,
  portalId: number,
): Promise<{ id: string; email: string | null; name: string | null; archived: boolean }[]> {
  const { rows } = await db.query<{ id: string; email: string | null; name: string | null; archived: boolean }>(
    `SELECT id, email, nullif(btrim(concat_ws(' ', first_name, last_name)), '') AS name, archived
       FROM owners WHERE portal_id = $1 ORDER BY archived, email NULLS LAST, id`,
    [portalId],
  );
  return rows;
}

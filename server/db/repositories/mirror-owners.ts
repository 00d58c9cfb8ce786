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

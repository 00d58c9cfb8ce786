import type { Queryable } from '../pool.ts';

export type PortalAdmin = {
  userId: number;
  email: string | null;
  addedBy: string;
  addedAt: Date;
};

/**
 * Whether this HubSpot user is an admin of this portal while it is installed: the user who installed it
 * (last install), or one an admin added.
 */
export async function isPortalAdmin(db: Queryable, portalId: number, userId: number): Promise<boolean> {
  const { rows } = await db.query<{ admin: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM portals p
        WHERE p.portal_id = $1 AND p.status = 'installed'
          AND (p.installed_by_user_id = $2
               OR EXISTS (SELECT 1 FROM portal_admins a WHERE a.portal_id = $1 AND a.user_id = $2))) AS admin`,
    [portalId, userId],
  );
  return rows[0]?.admin ?? false;
}

export async function listPortalAdmins(db: Queryable, portalId: number): Promise<PortalAdmin[]> {
  const { rows } = await db.query<PortalAdmin>(
    `SELECT user_id AS "userId", email, added_by AS "addedBy", added_at AS "addedAt"
       FROM portal_admins WHERE portal_id = $1 ORDER BY added_at, user_id`,
    [portalId],
  );
  return rows;
}

/** Adds (or renames) an admin; false when the user was already one with the same email. */
export async function addPortalAdmin(
  db: Queryable,
  portalId: number,
  admin: { userId: number; email: string | null; addedBy: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO portal_admins (portal_id, user_id, email, added_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (portal_id, user_id) DO UPDATE SET email = EXCLUDED.email
      WHERE portal_admins.email IS DISTINCT FROM EXCLUDED.email`,
    [portalId, admin.userId, admin.email, admin.addedBy],
  );
  return (rowCount ?? 0) > 0;
}

export async function removePortalAdmin(db: Queryable, portalId: number, userId: number): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM portal_admins WHERE portal_id = $1 AND user_id = $2`, [
    portalId,
    userId,
  ]);
  return (rowCount ?? 0) > 0;
}

import type { Queryable } from '../pool.ts';

export type PortalStatus = 'installed' | 'needs_reauth' | 'uninstalled';

export type Portal = {
  portalId: number;
  status: PortalStatus;
  hubDomain: string | null;
  scopes: string[];
  installedByUserId: number | null;
  installedByEmail: string | null;
  installedAt: Date;
  statusChangedAt: Date;
};

const COLUMNS = `portal_id AS "portalId", status, hub_domain AS "hubDomain", scopes,
  installed_by_user_id AS "installedByUserId", installed_by_email AS "installedByEmail",
  installed_at AS "installedAt", status_changed_at AS "statusChangedAt"`;

export type InstallRecord = {
  portalId: number;
  hubDomain: string | null;
  scopes: string[];
  installedByUserId: number | null;
  installedByEmail: string | null;
};

/** Records an install or reinstall: a portal that needed re-auth or was uninstalled is installed again. */
export async function upsertInstalledPortal(db: Queryable, install: InstallRecord): Promise<{ created: boolean }> {
  const { rows } = await db.query<{ created: boolean }>(
    `INSERT INTO portals (portal_id, status, hub_domain, scopes, installed_by_user_id, installed_by_email)
     VALUES ($1, 'installed', $2, $3, $4, $5)
     ON CONFLICT (portal_id) DO UPDATE
       SET status = 'installed',
           hub_domain = EXCLUDED.hub_domain,
           scopes = EXCLUDED.scopes,
           installed_by_user_id = EXCLUDED.installed_by_user_id,
           installed_by_email = EXCLUDED.installed_by_email,
           status_changed_at = CASE WHEN portals.status <> 'installed' THEN now() ELSE portals.status_changed_at END,
           updated_at = now()
     RETURNING (xmax = 0) AS created`,
    [install.portalId, install.hubDomain, install.scopes, install.installedByUserId, install.installedByEmail],
  );
  return { created: rows[0]?.created ?? false };
}

export async function findPortal(db: Queryable, portalId: number): Promise<Portal | undefined> {
  const { rows } = await db.query<Portal>(`SELECT ${COLUMNS} FROM portals WHERE portal_id = $1`, [portalId]);
  return rows[0];
}

/** Moves a portal to a new status; returns false when it was already there (so side effects run once). */
export async function setPortalStatus(db: Queryable, portalId: number, status: PortalStatus): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE portals SET status = $2, status_changed_at = now(), updated_at = now()
      WHERE portal_id = $1 AND status <> $2`,
    [portalId, status],
  );
  return (rowCount ?? 0) > 0;
}

export async function listPortalIdsByStatus(db: Queryable, status: PortalStatus): Promise<number[]> {
  const { rows } = await db.query<{ portalId: number }>(
    `SELECT portal_id AS "portalId" FROM portals WHERE status = $1 ORDER BY portal_id`,
    [status],
  );
  return rows.map((r) => r.portalId);
}

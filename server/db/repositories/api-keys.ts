import type { Queryable } from '../pool.ts';

export type ApiKeyRow = { portalId: number; id: string; secretHash: Buffer; revokedAt: Date | null };

export async function insertApiKey(
  db: Queryable,
  key: { portalId: number; id: string; secretHash: Buffer; label: string; createdBy: string },
): Promise<void> {
  await db.query(`INSERT INTO api_keys (portal_id, id, secret_hash, label, created_by) VALUES ($1, $2, $3, $4, $5)`, [
    key.portalId,
    key.id,
    key.secretHash,
    key.label,
    key.createdBy,
  ]);
}

/**
 * The key with this public id, whichever portal it belongs to: the caller proves the portal only by
 * presenting the key. (The unique index on id makes this lookup the one place keys cross portals.)
 */
export async function findApiKeyById(db: Queryable, id: string): Promise<ApiKeyRow | undefined> {
  const { rows } = await db.query<ApiKeyRow>(
    `/* cross-portal: authenticating a key is how the caller's portal is learned */
     SELECT portal_id AS "portalId", id, secret_hash AS "secretHash", revoked_at AS "revokedAt"
       FROM api_keys WHERE id = $1`,
    [id],
  );
  return rows[0];
}

export async function touchApiKey(db: Queryable, portalId: number, id: string): Promise<void> {
  await db.query(`UPDATE api_keys SET last_used_at = now() WHERE portal_id = $1 AND id = $2`, [portalId, id]);
}

export async function revokeApiKey(db: Queryable, portalId: number, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE api_keys SET revoked_at = now() WHERE portal_id = $1 AND id = $2 AND revoked_at IS NULL`,
    [portalId, id],
  );
  return (rowCount ?? 0) > 0;
}

export type ApiKeySummary = {
  id: string;
  label: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export async function listApiKeys(db: Queryable, portalId: number): Promise<ApiKeySummary[]> {
  const { rows } = await db.query<ApiKeySummary>(
    `SELECT id, label, created_by AS "createdBy", created_at AS "createdAt", last_used_at AS "lastUsedAt",
            revoked_at AS "revokedAt"
       FROM api_keys WHERE portal_id = $1 ORDER BY created_at, id`,
    [portalId],
  );
  return rows;
}

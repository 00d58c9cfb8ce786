import type { Queryable } from '../pool.ts';

/** A portal's tokens as stored: both sealed by TokenCipher under one key id. */
export type StoredTokens = {
  portalId: number;
  accessTokenEnc: Buffer;
  refreshTokenEnc: Buffer;
  keyId: string;
  expiresAt: Date;
};

export async function saveTokens(db: Queryable, tokens: StoredTokens): Promise<void> {
  await db.query(
    `INSERT INTO oauth_tokens (portal_id, access_token_enc, refresh_token_enc, key_id, expires_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (portal_id) DO UPDATE
       SET access_token_enc = EXCLUDED.access_token_enc,
           refresh_token_enc = EXCLUDED.refresh_token_enc,
           key_id = EXCLUDED.key_id,
           expires_at = EXCLUDED.expires_at,
           updated_at = now()`,
    [tokens.portalId, tokens.accessTokenEnc, tokens.refreshTokenEnc, tokens.keyId, tokens.expiresAt],
  );
}

export async function loadTokens(db: Queryable, portalId: number): Promise<StoredTokens | undefined> {
  const { rows } = await db.query<StoredTokens>(
    `SELECT portal_id AS "portalId", access_token_enc AS "accessTokenEnc", refresh_token_enc AS "refreshTokenEnc",
            key_id AS "keyId", expires_at AS "expiresAt"
       FROM oauth_tokens WHERE portal_id = $1`,
    [portalId],
  );
  return rows[0];
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/pool.ts';
import { findApiKeyById, insertApiKey, touchApiKey } from '../db/repositories/api-keys.ts';

/**
 * Ingest API keys: `clk_<id>_<secret>`. The id is public (it finds the row); only a SHA-256 of the
 * 32-byte secret is stored, compared in constant time. A fast hash is right here: the secret is random,
 * not a password, so there is nothing to brute-force.
 */
const KEY = /^clk_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

export async function createApiKey(
  db: Queryable,
  portalId: number,
  options: { label: string; createdBy: string },
): Promise<{ id: string; key: string }> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await insertApiKey(db, {
    portalId,
    id,
    secretHash: hashSecret(secret),
    label: options.label,
    createdBy: options.createdBy,
  });
  return { id, key: `clk_${id}_${secret}` };
}

/** The portal a presented key belongs to, or undefined for a malformed, unknown, wrong or revoked key. */
export async function authenticateApiKey(
  db: Queryable,
  presented: string | undefined,
): Promise<{ portalId: number; keyId: string } | undefined> {
  const match = KEY.exec(presented ?? '');
  if (!match) return undefined;
  const [, id, secret] = match as unknown as [string, string, string];
  const row = await findApiKeyById(db, id);
  const given = hashSecret(secret);
  if (
    !row ||
    row.revokedAt !== null ||
    row.secretHash.length !== given.length ||
    !timingSafeEqual(row.secretHash, given)
  ) {
    return undefined;
  }
  await touchApiKey(db, row.portalId, id);
  return { portalId: row.portalId, keyId: id };
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

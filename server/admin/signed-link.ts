import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The short-lived entry link the HubSpot settings component hands an admin: `<claims>.<signature>`,
 * the claims base64url JSON (portal, user, nonce, expiry), the signature base64url HMAC-SHA256 over
 * them with the link key. Valid for 5 minutes; single use is enforced when redeemed (the nonce is
 * recorded), not here.
 */
export const LINK_TTL_MS = 5 * 60_000;

const LinkClaims = z.strictObject({
  v: z.literal(1),
  portalId: z.number().int().positive(),
  userId: z.number().int().positive(),
  userEmail: z.string().nullable(),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  expiresAt: z.number().int().positive(),
});
export type LinkClaims = z.output<typeof LinkClaims>;

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export function signAdminLink(
  key: Buffer,
  who: { portalId: number; userId: number; userEmail: string | null },
  now: number,
): { token: string; expiresAt: number } {
  const claims: LinkClaims = {
    v: 1,
    ...who,
    nonce: randomBytes(16).toString('base64url'),
    expiresAt: now + LINK_TTL_MS,
  };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return { token: `${body}.${sign(key, body)}`, expiresAt: claims.expiresAt };
}

export function verifyAdminLink(key: Buffer, token: string | undefined, now: number): LinkCheck {
  const [body, signature, ...rest] = (token ?? '').split('.');
  if (!body || !signature || rest.length > 0) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(sign(key, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const claims = LinkClaims.safeParse(decoded);
  if (!claims.success) return { ok: false, reason: 'malformed' };
  if (claims.data.expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims: claims.data };
}

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(`admin-link.${body}`).digest('base64url');
}

import type { Queryable } from '../db/pool.ts';
import { redeemAdminLink } from '../db/repositories/admin-link-redemptions.ts';
import { admit, type Admission } from './admission.ts';
import { startAdminSession, type StartedSession } from './sessions.ts';
import { signAdminLink, verifyAdminLink } from './signed-link.ts';

export type LinkRequest = { portalId: number; userId: number; userEmail?: string | undefined };

/**
 * Issues an entry link for the user the settings component names (HubSpot signed the request), if that
 * user is an admin of that installed portal: a non-admin gets no link at all.
 */
export async function issueEntryLink(
  deps: { db: Queryable; key: Buffer; publicBaseUrl: string; now: Date },
  request: LinkRequest,
): Promise<{ ok: true; url: string; expiresAt: Date } | Exclude<Admission, { ok: true }>> {
  const admission = await admit(deps.db, request.portalId, request.userId);
  if (!admission.ok) return admission;
  const { token, expiresAt } = signAdminLink(
    deps.key,
    { portalId: request.portalId, userId: request.userId, userEmail: request.userEmail ?? null },
    deps.now.getTime(),
  );
  const url = new URL('/admin/enter', deps.publicBaseUrl);
  url.searchParams.set('token', token);
  return { ok: true, url: url.toString(), expiresAt: new Date(expiresAt) };
}

export type LinkRefusal = 'malformed' | 'forged' | 'expired' | 'reused' | 'not_installed' | 'not_admin';

/**
 * Redeems an entry link: signature, expiry, single use (the nonce is recorded before anything else
 * happens, so even a refused redemption uses the link up), and the user still an admin now.
 */
export async function enterWithLink(
  deps: { db: Queryable; key: Buffer; now: Date },
  token: string | undefined,
): Promise<{ ok: true; session: StartedSession } | { ok: false; reason: LinkRefusal }> {
  const check = verifyAdminLink(deps.key, token, deps.now.getTime());
  if (!check.ok) return check;
  const { claims } = check;
  const fresh = await redeemAdminLink(deps.db, claims.portalId, {
    nonce: claims.nonce,
    expiresAt: new Date(claims.expiresAt),
    now: deps.now,
  });
  if (!fresh) return { ok: false, reason: 'reused' };
  const admission = await admit(deps.db, claims.portalId, claims.userId);
  if (!admission.ok) return admission;
  const session = await startAdminSession(
    deps.db,
    { portalId: claims.portalId, userId: claims.userId, userEmail: claims.userEmail, via: 'link' },
    deps.now,
  );
  return { ok: true, session };
}

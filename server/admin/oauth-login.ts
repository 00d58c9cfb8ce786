import type { Queryable } from '../db/pool.ts';
import type { OAuthApi } from '../hubspot/oauth-api.ts';
import { admit } from './admission.ts';
import { startAdminSession, type StartedSession } from './sessions.ts';

/**
 * Signing in with HubSpot: the code HubSpot sent back is exchanged for a token only to learn who the
 * user is and in which portal (token info: `user_id`, `user`, `hub_id`); the tokens are not kept (the
 * portal's own tokens, from its install, are what the app works with). The user is admitted if that
 * portal is installed and they are one of its admins.
 */
export async function completeAdminLogin(
  deps: { db: Queryable; oauth: OAuthApi; redirectUri: string; now: () => Date },
  code: string,
): Promise<
  | { ok: true; session: StartedSession }
  | { ok: false; reason: 'not_installed' | 'not_admin'; portalId: number; user: string | null }
> {
  const grant = await deps.oauth.exchangeCode(code, deps.redirectUri);
  const info = await deps.oauth.tokenInfo(grant.accessToken);
  const admission = await admit(deps.db, info.hubId, info.userId);
  if (!admission.ok) return { ...admission, portalId: info.hubId, user: info.user };
  const session = await startAdminSession(
    deps.db,
    { portalId: info.hubId, userId: info.userId, userEmail: info.user, via: 'oauth' },
    deps.now(),
  );
  return { ok: true, session };
}

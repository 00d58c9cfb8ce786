import type { Queryable } from '../db/pool.ts';
import { findPortal } from '../db/repositories/portals.ts';
import { isPortalAdmin } from '../db/repositories/portal-admins.ts';

/**
 * Who may enter a portal's admin page: a HubSpot user who is an admin of a portal where Closed Loop is
 * installed. "Admin" is Closed Loop's own list (the user who installed the app, plus the admins they
 * add on the page), not HubSpot's super-admin flag: HubSpot's token info does not carry it, and the
 * users API that does (`GET /settings/v3/users/{id}`, `superAdmin`) needs the `settings.users.read`
 * scope, which Closed Loop does not ask for (a new scope would make every portal re-consent).
 */
export type Admission = { ok: true } | { ok: false; reason: 'not_installed' | 'not_admin' };

export async function admit(db: Queryable, portalId: number, userId: number): Promise<Admission> {
  const portal = await findPortal(db, portalId);
  if (!portal || portal.status !== 'installed') return { ok: false, reason: 'not_installed' };
  return (await isPortalAdmin(db, portalId, userId)) ? { ok: true } : { ok: false, reason: 'not_admin' };
}

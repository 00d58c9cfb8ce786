import type { BaseContext, CrmContext } from '@hubspot/ui-extensions';

/**
 * The ids every request carries in its body, read from the `context` HubSpot gives the extension. The
 * server checks them as claims (server/cards/README.md): integers; `userEmail` optional, 3 to 254
 * characters, so an address outside that is left out rather than getting the request refused.
 */
export type UserClaims = { portalId: number; userId: number; userEmail?: string };
export type RecordClaims = UserClaims & { objectId: number };

export function userClaims(context: BaseContext): UserClaims {
  const email = context.user.email;
  return {
    portalId: context.portal.id,
    userId: context.user.id,
    ...(typeof email === 'string' && email.length >= 3 && email.length <= 254 ? { userEmail: email } : {}),
  };
}

export function recordClaims(context: CrmContext): RecordClaims {
  return { ...userClaims(context), objectId: context.crm.objectId };
}

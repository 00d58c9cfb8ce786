import type { CrmContext, SettingsContext } from '@hubspot/ui-extensions';

/** The ids the cards send, as HubSpot would give them (portal, user, record). */
export const PORTAL_ID = 4242;
export const USER_ID = 77;
export const USER_EMAIL = 'rep@example.com';

export function crmContext(base: CrmContext, objectId: number, objectTypeId: string): CrmContext {
  return {
    ...base,
    portal: { id: PORTAL_ID, timezone: 'UTC' },
    user: { ...base.user, id: USER_ID, email: USER_EMAIL, locale: 'en-US' },
    crm: { objectId, objectTypeId },
  };
}

export function settingsContext(base: SettingsContext): SettingsContext {
  return {
    ...base,
    portal: { id: PORTAL_ID, timezone: 'UTC' },
    user: { ...base.user, id: USER_ID, email: USER_EMAIL, locale: 'en-US' },
  };
}

/**
 * The OAuth scopes Closed Loop asks for: exactly what it uses, checked against HubSpot's API specs
 * (HubSpot-public-api-spec-collection). The app component in app/ declares the same list; a test
 * keeps the two equal.
 * - contacts, companies, deals: read to sync, write to write back computed properties;
 * - `tickets`: the legacy scope that covers ticket objects, pipelines and ticket properties;
 * - `crm.schemas.{contacts,companies,deals}.write`: creating the closed_loop properties on install;
 * - `crm.objects.owners.read`: resolving record owners to emails for the issue log;
 * - `oauth`: token info, the events API (web analytics) and the uninstall API.
 */
export const REQUIRED_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'tickets',
  'crm.objects.owners.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.write',
  'crm.schemas.deals.write',
] as const;

/** Nothing optional yet: every feature needs every scope above. */
export const OPTIONAL_SCOPES = [] as const;

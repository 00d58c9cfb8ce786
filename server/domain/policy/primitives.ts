import { z } from 'zod';

/**
 * The small vocabulary every section of the definitions is written in. Identifiers are strict so that
 * they can be embedded in finding codes (`stage_gap:backward:<from>><to>`) and readable diff paths
 * without escaping; HubSpot's own values are looser because the portal, not us, chooses them.
 */

/** A Closed Loop identifier: stage ids, picklist names, SLA ids, checklist ids, model ids. */
export const Slug = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits and _, starting with a letter');

/** A HubSpot internal property name (HubSpot lower-cases them; custom ones follow the same rule). */
export const PropertyName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be a HubSpot internal property name (lower-case letters, digits and _)');

/**
 * A value chosen outside this document (a HubSpot stage or pipeline id, a picklist option's internal value):
 * anything non-empty. Surrounding white space is refused because these values compare exactly and a
 * stray space would make a rule that can never match.
 */
export const ExternalValue = z
  .string()
  .min(1, 'must not be empty')
  .refine((value) => value.trim() === value, 'must not start or end with white space');

/** Text shown to people (labels, descriptions). */
export const Label = z
  .string()
  .min(1, 'must not be empty')
  .refine((value) => value.trim() === value, 'must not start or end with white space');

/** The CRM objects the policy speaks about, in the spec's singular vocabulary. */
export const CrmObject = z.enum(['contact', 'company', 'deal', 'ticket']);
export type CrmObject = z.output<typeof CrmObject>;

/** The objects that move through closed-loop stages; companies only take part in duplicate checks. */
export const StagedObject = z.enum(['contact', 'deal', 'ticket']);
export type StagedObject = z.output<typeof StagedObject>;

/** HubSpot's object type names in URLs and SDK calls (`/crm/v3/properties/{objectType}`). */
export const HUBSPOT_OBJECT_TYPE = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  ticket: 'tickets',
} as const satisfies Record<CrmObject, string>;

export type HubSpotObjectType = (typeof HUBSPOT_OBJECT_TYPE)[CrmObject];

/** The other way round: the policy's object for one of HubSpot's type names. */
export const CRM_OBJECT_OF: Record<HubSpotObjectType, CrmObject> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  tickets: 'ticket',
};

/** Plural nouns for sentences people read ("on deals from proposal"). */
export const OBJECT_PLURAL = HUBSPOT_OBJECT_TYPE;

/** A governed option: the internal value HubSpot stores and the label people pick. */
export const Option = z.strictObject({ value: ExternalValue, label: Label });
export type Option = z.output<typeof Option>;

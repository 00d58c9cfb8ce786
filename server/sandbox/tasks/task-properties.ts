import type { PropertyDefinition, PropertyOption, PropertyType } from '../properties/definitions.ts';
import type { PortalStore } from '../store.ts';

/**
 * HubSpot's own task properties, the ones its tasks guide documents (hs_timestamp is required: it is
 * the due date), with the values it lists for status, priority and type, plus the read-only defaults.
 * Custom task properties are not modelled.
 */
const option = (value: string, displayOrder: number): PropertyOption => ({ value, label: value, displayOrder });

function definition(
  name: string,
  type: PropertyType,
  fieldType: string,
  extra: Partial<Pick<PropertyDefinition, 'options' | 'readOnlyValue'>> = {},
): PropertyDefinition {
  return {
    name,
    label: name,
    type,
    fieldType,
    groupName: 'task',
    description: '',
    options: extra.options ?? [],
    displayOrder: -1,
    hidden: false,
    formField: false,
    hasUniqueValue: false,
    calculated: false,
    externalOptions: false,
    hubspotDefined: true,
    readOnlyValue: extra.readOnlyValue ?? false,
    archived: false,
  };
}

/** The task properties of a portal; the owner's options follow its owners, as on other objects. */
export function taskProperties(store: PortalStore): Map<string, PropertyDefinition> {
  const defs = [
    definition('hs_timestamp', 'datetime', 'date'),
    definition('hs_task_subject', 'string', 'text'),
    definition('hs_task_body', 'string', 'html'),
    definition('hubspot_owner_id', 'enumeration', 'select', {
      options: store.owners.filter((o) => !o.archived).map((o, i) => option(o.id, i)),
    }),
    definition('hs_task_status', 'enumeration', 'select', {
      options: ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'].map(option),
    }),
    definition('hs_task_priority', 'enumeration', 'select', {
      options: ['NONE', 'LOW', 'MEDIUM', 'HIGH'].map(option),
    }),
    definition('hs_task_type', 'enumeration', 'select', { options: ['TODO', 'CALL', 'EMAIL'].map(option) }),
    definition('hs_task_reminders', 'string', 'text'),
    definition('hs_createdate', 'datetime', 'date', { readOnlyValue: true }),
    definition('hs_lastmodifieddate', 'datetime', 'date', { readOnlyValue: true }),
    definition('hs_object_id', 'number', 'number', { readOnlyValue: true }),
  ];
  return new Map(defs.map((d) => [d.name, d]));
}

/** What a read returns without `properties`: HubSpot's defaults for activities. */
export const DEFAULT_TASK_PROPERTIES = ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'];

/** The default association type of a task towards each record type (SDK's AssociationTypes enum). */
export const TASK_ASSOCIATION_TYPES = {
  204: 'contacts',
  192: 'companies',
  216: 'deals',
  230: 'tickets',
} as const;

/** v3 association names, as reads with `associations=` label them. */
export const TASK_V3_NAMES = {
  contacts: 'task_to_contact',
  companies: 'task_to_company',
  deals: 'task_to_deal',
  tickets: 'task_to_ticket',
} as const;

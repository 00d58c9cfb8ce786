import type { CrmObjectType } from '../contracts.ts';

/** A property definition as the store keeps it; `toPublicProperty` turns it into HubSpot's `Property`. */
export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
export type PropertyOption = {
  label: string;
  value: string;
  displayOrder?: number;
  hidden?: boolean;
  description?: string;
};

export type PropertyDefinition = {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hidden: boolean;
  formField: boolean;
  hasUniqueValue: boolean;
  calculated: boolean;
  externalOptions: boolean;
  hubspotDefined: boolean;
  /** HubSpot computes the value (hs_object_id, last-modified and stage-entered dates): writes are refused. */
  readOnlyValue: boolean;
  calculationFormula?: string;
  referencedObjectType?: string;
  createdAt?: number;
  updatedAt?: number;
  archived: boolean;
};

export type PropertyGroupDefinition = {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
  hubspotDefined: boolean;
};

/** type → the fieldTypes HubSpot accepts with it (HubSpot's properties guide). */
export const FIELD_TYPES_BY_TYPE: Record<PropertyType, readonly string[]> = {
  bool: ['booleancheckbox', 'calculation_equation'],
  enumeration: ['booleancheckbox', 'checkbox', 'radio', 'select', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  string: ['text', 'textarea', 'file', 'html', 'phonenumber', 'calculation_equation'],
  number: ['number', 'calculation_equation'],
};

export const LAST_MODIFIED_PROPERTY: Record<CrmObjectType, string> = {
  contacts: 'lastmodifieddate',
  companies: 'hs_lastmodifieddate',
  deals: 'hs_lastmodifieddate',
  tickets: 'hs_lastmodifieddate',
};

export function toPublicProperty(def: PropertyDefinition): Record<string, unknown> {
  return {
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    description: def.description,
    groupName: def.groupName,
    options: def.options.map((o, i) => ({
      label: o.label,
      value: o.value,
      displayOrder: o.displayOrder ?? i,
      hidden: o.hidden ?? false,
      ...(o.description === undefined ? {} : { description: o.description }),
    })),
    displayOrder: def.displayOrder,
    calculated: def.calculated,
    externalOptions: def.externalOptions,
    hasUniqueValue: def.hasUniqueValue,
    hidden: def.hidden,
    hubspotDefined: def.hubspotDefined,
    modificationMetadata: {
      archivable: !def.hubspotDefined,
      readOnlyDefinition: def.hubspotDefined,
      readOnlyValue: def.readOnlyValue,
    },
    formField: def.formField,
    archived: def.archived,
    ...(def.calculationFormula === undefined ? {} : { calculationFormula: def.calculationFormula }),
    ...(def.referencedObjectType === undefined ? {} : { referencedObjectType: def.referencedObjectType }),
    ...(def.createdAt === undefined ? {} : { createdAt: new Date(def.createdAt).toISOString() }),
    ...(def.updatedAt === undefined ? {} : { updatedAt: new Date(def.updatedAt).toISOString() }),
  };
}

export const toPublicGroup = (group: PropertyGroupDefinition): Record<string, unknown> => ({
  name: group.name,
  label: group.label,
  displayOrder: group.displayOrder,
  archived: group.archived,
});

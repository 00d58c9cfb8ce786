import { HUBSPOT_OBJECT_TYPE, type HubSpotObjectType } from '../domain/policy/primitives.ts';
import type { Definitions } from '../domain/policy/schema.ts';
import type { PropertyDefinition } from '../domain/policy/properties.ts';

export type ApiObjectType = HubSpotObjectType;

/** One property to create on one object type, in the shape of HubSpot's create-property request. */
export type PropertySpec = {
  objectType: ApiObjectType;
  name: string;
  label: string;
  description: string;
  type: PropertyDefinition['type'];
  fieldType: PropertyDefinition['fieldType'];
  groupName: string;
  options: { label: string; value: string; displayOrder: number; hidden: false }[];
};

/** Every property section 8 of the definitions asks for, one entry per object type it lives on. */
export function propertySpecsOf(definitions: Definitions): PropertySpec[] {
  const { group, writtenBack, inputs } = definitions.properties;
  return [...writtenBack, ...inputs].flatMap((property) =>
    property.objects.map((object) => ({
      objectType: HUBSPOT_OBJECT_TYPE[object],
      name: property.name,
      label: property.label,
      description: property.description,
      type: property.type,
      fieldType: property.fieldType,
      groupName: group.name,
      options: optionsOf(definitions, property),
    })),
  );
}

function optionsOf(definitions: Definitions, property: PropertyDefinition): PropertySpec['options'] {
  const { options } = property;
  if (!options) return [];
  const list =
    options.source === 'fixed'
      ? options.options
      : // The schema has checked that every referenced picklist exists.
        (definitions.picklists.find((p) => p.name === options.picklist)?.options ?? []);
  return list.map((o, displayOrder) => ({ label: o.label, value: o.value, displayOrder, hidden: false }));
}

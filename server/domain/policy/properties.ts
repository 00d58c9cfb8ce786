import { z } from 'zod';
import { CrmObject, Label, Option, PropertyName, Slug } from './primitives.ts';
import { duplicateKeys, reportProblems, under, type Problem } from './problems.ts';

/**
 * Section 8: the HubSpot properties the app creates on install (in `group`) when missing: the ones it
 * writes back and the input properties the data standard needs. The install step sends these fields
 * as they are (`name`, `label`, `description`, `type`, `fieldType`, `groupName`, `options`), so they
 * follow HubSpot's create-property rules: type decides the allowed fieldTypes, enumerations need options.
 */

export const PropertyType = z.enum(['string', 'number', 'bool', 'enumeration', 'date', 'datetime']);
export type PropertyType = z.output<typeof PropertyType>;

export const FieldType = z.enum([
  'text',
  'textarea',
  'number',
  'booleancheckbox',
  'select',
  'radio',
  'checkbox',
  'date',
]);
export type FieldType = z.output<typeof FieldType>;

/** HubSpot's create-property table (the subset the app uses; no calculated properties). */
export const FIELD_TYPES_OF: Record<PropertyType, readonly FieldType[]> = {
  string: ['text', 'textarea'],
  number: ['number'],
  bool: ['booleancheckbox'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
  date: ['date'],
  datetime: ['date'],
};

/** Where a property's options come from: listed here, or a governed picklist (kept in step with it). */
export const PropertyOptions = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('fixed'), options: z.array(Option).min(1) }),
  z.strictObject({ source: z.literal('picklist'), picklist: Slug }),
]);
export type PropertyOptions = z.output<typeof PropertyOptions>;

const PropertyDefinitionShape = z.strictObject({
  name: PropertyName,
  label: Label,
  description: Label,
  type: PropertyType,
  fieldType: FieldType,
  objects: z.array(CrmObject).min(1),
  options: PropertyOptions.optional(),
  /** The range a number takes (documentation and validation of computed values; HubSpot does not enforce it). */
  range: z.strictObject({ min: z.number(), max: z.number() }).optional(),
});
export type PropertyDefinition = z.output<typeof PropertyDefinitionShape>;
export const PropertyDefinition = PropertyDefinitionShape.superRefine((property, ctx) =>
  reportProblems(propertyProblems(property), ctx),
);

export const PropertyGroup = z.strictObject({ name: PropertyName, label: Label });

const PropertiesShape = z.strictObject({
  group: PropertyGroup,
  /** Computed by the app and written back; people should not edit them. */
  writtenBack: z.array(PropertyDefinition),
  /** Filled in by people (or their tools); the data standard reads them. */
  inputs: z.array(PropertyDefinition),
});
export type Properties = z.output<typeof PropertiesShape>;
export const Properties = PropertiesShape.superRefine((properties, ctx) => {
  const all = [
    ...properties.writtenBack.map((p, i) => ({ name: p.name, path: ['writtenBack', i, 'name'] })),
    ...properties.inputs.map((p, i) => ({ name: p.name, path: ['inputs', i, 'name'] })),
  ];
  const seen = new Set<string>();
  for (const { name, path } of all) {
    if (seen.has(name))
      ctx.addIssue({ code: 'custom', path, message: `property "${name}" is defined twice; list all its objects once` });
    seen.add(name);
  }
});

function propertyProblems(property: PropertyDefinition): Problem[] {
  const problems: Problem[] = under(
    ['objects'],
    duplicateKeys(
      property.objects,
      (o) => o,
      (o) => `object "${o}"`,
    ),
  );
  const allowed = FIELD_TYPES_OF[property.type];
  if (!allowed.includes(property.fieldType))
    problems.push({
      path: ['fieldType'],
      message: `a ${property.type} property takes fieldType ${allowed.join(' or ')}, not ${property.fieldType}`,
    });
  const { options } = property;
  if (property.type === 'enumeration' && options === undefined)
    problems.push({ path: ['options'], message: 'an enumeration needs options' });
  if (property.type === 'bool') {
    const values = options?.source === 'fixed' ? options.options.map((o) => o.value).join(',') : undefined;
    if (values !== 'true,false')
      problems.push({
        path: ['options'],
        message: 'a bool takes exactly the fixed options "true" and "false", in that order',
      });
  }
  if (property.type !== 'enumeration' && property.type !== 'bool' && options !== undefined)
    problems.push({ path: ['options'], message: `a ${property.type} property takes no options` });
  if (options?.source === 'fixed')
    problems.push(
      ...under(
        ['options', 'options'],
        duplicateKeys(
          options.options,
          (o) => o.value,
          (v) => `option "${v}"`,
          'value',
        ),
      ),
    );
  if (property.range !== undefined) {
    if (property.type !== 'number') problems.push({ path: ['range'], message: 'only a number property has a range' });
    else if (property.range.min > property.range.max)
      problems.push({ path: ['range'], message: 'min must not be greater than max' });
  }
  return problems;
}

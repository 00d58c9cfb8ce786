import type { Finding } from '../domain/hygiene/index.ts';
import {
  parseFieldRule,
  type Definitions,
  type FieldRequirement,
  type ParsedFieldRule,
  type StagedObject,
} from '../domain/policy/index.ts';
import { stageRef } from './card-record.ts';
import type { FieldInput, FieldToFill } from './contracts/common.ts';

/** The input a card shows for a field, from the rule its required-fields row gives it. */
export function inputOf(rule: ParsedFieldRule, definitions: Definitions): FieldInput {
  switch (rule.kind) {
    case 'picklist': {
      const picklist = definitions.picklists.find((p) => p.name === rule.picklist);
      return {
        kind: 'picklist',
        picklist: rule.picklist,
        options: (picklist?.options ?? []).map((o) => ({ value: o.value, label: o.label })),
      };
    }
    case 'positive_number':
      return { kind: 'number', greaterThan: 0 };
    case 'date':
      return { kind: 'date' };
    case 'non_empty':
      return { kind: 'text' };
  }
}

/** The field rows of an object's data standard, by property (the rows a card may fill). */
export function fieldRowsOf(definitions: Definitions, object: StagedObject, property: string): FieldRequirement[] {
  return definitions.requiredFields.filter(
    (row): row is FieldRequirement => 'field' in row && row.object === object && row.field === property,
  );
}

/** The definitions' label of a property the app knows (its own inputs and written-back values). */
export function propertyLabel(definitions: Definitions, property: string): string | null {
  const known = [...definitions.properties.inputs, ...definitions.properties.writtenBack];
  return known.find((p) => p.name === property)?.label ?? null;
}

/**
 * The required fields a record fails, from its `missing_field` and `invalid_value` findings: each
 * with the row that requires it and the input to fill it with.
 */
export function fieldsToFill(
  findings: readonly Finding[],
  definitions: Definitions,
  object: StagedObject,
  values: Readonly<Record<string, string | null>>,
): FieldToFill[] {
  return findings.flatMap((finding): FieldToFill[] => {
    if ((finding.kind !== 'missing_field' && finding.kind !== 'invalid_value') || finding.field === undefined)
      return [];
    const rows = fieldRowsOf(definitions, object, finding.field);
    const row = rows.find((r) => r.stage === finding.facts.requiredFrom) ?? rows[0];
    if (row === undefined) return [];
    return [
      {
        property: row.field,
        label: propertyLabel(definitions, row.field),
        requiredFrom: stageRef(definitions, object, row.stage) ?? { id: row.stage, label: row.stage },
        applies: row.applies,
        problem: finding.kind === 'missing_field' ? 'missing' : 'invalid',
        value: values[row.field] ?? null,
        input: inputOf(parseFieldRule(row.rule), definitions),
        proposedFix: finding.proposedFix,
      },
    ];
  });
}

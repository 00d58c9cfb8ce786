import type { Definitions, Picklist } from '../../policy/index.ts';
import { makeFinding, combine, scored, type RuleResult } from '../rule-result.ts';
import { recordName, type StagedRecord } from '../staged-record.ts';
import { isSet } from '../values.ts';
import { applicableFieldRows, missingFieldFinding, type FieldRow } from './field-rows.ts';

/**
 * Section 2's picklist rows against section 3's picklists. An empty value is `missing_field`; a
 * non-empty value that is neither an option nor a legacy value of the picklist is
 * `invalid_value:<property>`. Values compare exactly: case-sensitive and untrimmed, so " email" and
 * "Email" are invalid while "email" is not. A legacy value is read as the option it maps to.
 */
export function picklistResult(view: StagedRecord): RuleResult {
  return combine(
    applicableFieldRows(view)
      .filter((field) => field.rule.kind === 'picklist')
      .map((field) => scored(picklistFindings(view, field))),
  );
}

export type PicklistVerdict = 'ok' | 'missing' | 'invalid';

export function picklistVerdict(picklist: Picklist | undefined, value: string | null | undefined): PicklistVerdict {
  if (!isSet(value)) return 'missing';
  if (picklist === undefined) return 'invalid';
  const known =
    picklist.options.some((option) => option.value === value) ||
    picklist.legacyValues.some((legacy) => legacy.value === value);
  return known ? 'ok' : 'invalid';
}

function picklistFindings(view: StagedRecord, field: FieldRow) {
  if (field.rule.kind !== 'picklist') return [];
  const picklist = picklistNamed(view.definitions, field.rule.picklist);
  const options = picklist?.options.map((option) => option.value) ?? [];
  const verdict = picklistVerdict(picklist, field.value);
  if (verdict === 'ok') return [];
  if (verdict === 'missing') return [missingFieldFinding(view, field, ` to one of: ${options.join(', ')}`)];
  const { row } = field;
  return [
    makeFinding(view.record, view.definitions, 'invalid_value', {
      code: `invalid_value:${row.field}`,
      field: row.field,
      proposedFix: `Replace "${field.value}" in \`${row.field}\` on ${recordName(view.record)} with one of: ${options.join(', ')} (picklist ${field.rule.picklist}; values match exactly, case and spaces included).`,
      facts: { picklist: field.rule.picklist, value: field.value ?? null, options, stage: view.stage },
    }),
  ];
}

function picklistNamed(definitions: Definitions, name: string): Picklist | undefined {
  return definitions.picklists.find((picklist) => picklist.name === name);
}

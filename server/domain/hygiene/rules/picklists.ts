import type { Definitions, Picklist } from '../../policy/index.ts';
import type { Finding } from '../finding.ts';
import { perDefinitions } from '../per-definitions.ts';
import { makeFinding, type RuleResult } from '../rule-result.ts';
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
  // Each row is one scored check, failing with one finding (see requiredFieldResult).
  const findings: Finding[] = [];
  let applicable = 0;
  for (const field of applicableFieldRows(view)) {
    if (field.rule.kind !== 'picklist') continue;
    applicable++;
    const finding = picklistFinding(view, field, field.rule.picklist);
    if (finding !== undefined) findings.push(finding);
  }
  return { findings, applicable, passed: applicable - findings.length };
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

function picklistFinding(view: StagedRecord, field: FieldRow, name: string): Finding | undefined {
  const picklist = picklistNamed(view.definitions, name);
  const verdict = picklistVerdict(picklist, field.value);
  if (verdict === 'ok') return undefined;
  const options = picklist?.options.map((option) => option.value) ?? [];
  if (verdict === 'missing') return missingFieldFinding(view, field, ` to one of: ${options.join(', ')}`);
  const { row } = field;
  return makeFinding(view.record, view.definitions, 'invalid_value', {
    code: `invalid_value:${row.field}`,
    field: row.field,
    proposedFix: `Replace "${field.value}" in \`${row.field}\` on ${recordName(view.record)} with one of: ${options.join(', ')} (picklist ${name}; values match exactly, case and spaces included).`,
    facts: { picklist: name, value: field.value ?? null, options, stage: view.stage },
  });
}

/** The picklists by name (the first of a name, as a search in definitions order finds). */
const picklistsOf = perDefinitions((definitions) => {
  const byName = new Map<string, Picklist>();
  for (const picklist of definitions.picklists) if (!byName.has(picklist.name)) byName.set(picklist.name, picklist);
  return byName;
});

function picklistNamed(definitions: Definitions, name: string): Picklist | undefined {
  return picklistsOf(definitions).get(name);
}

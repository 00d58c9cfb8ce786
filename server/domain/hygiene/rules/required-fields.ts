import type { ParsedFieldRule } from '../../policy/index.ts';
import type { Finding } from '../finding.ts';
import type { RuleResult } from '../rule-result.ts';
import type { StagedRecord } from '../staged-record.ts';
import { isSet, parseInstant, parseNumber } from '../values.ts';
import { applicableFieldRows, missingFieldFinding } from './field-rows.ts';

/**
 * Section 2, the rows whose rule is `non_empty`, `positive_number` or `date` (picklist rows are
 * `picklists.ts`). A value failing its rule, because it is empty or is not a number > 0 or not a
 * date, is `missing_field:<property>`. Each applicable row is one scored check.
 */
export function requiredFieldResult(view: StagedRecord): RuleResult {
  // Each row is one scored check, failing with one finding: counted here rather than combined from a
  // result per row (this runs on every record).
  const findings: Finding[] = [];
  let applicable = 0;
  for (const field of applicableFieldRows(view)) {
    if (field.rule.kind === 'picklist') continue;
    applicable++;
    if (!passes(field.rule, field.value)) findings.push(missingFieldFinding(view, field, WANTED[field.rule.kind]));
  }
  return { findings, applicable, passed: applicable - findings.length };
}

const WANTED: Record<ParsedFieldRule['kind'], string> = {
  non_empty: '',
  positive_number: ' to a number greater than 0',
  date: ' to a date',
  picklist: '',
};

export function passes(rule: ParsedFieldRule, value: string | null | undefined): boolean {
  switch (rule.kind) {
    case 'non_empty':
      return isSet(value);
    case 'positive_number': {
      const number = parseNumber(value);
      return number !== undefined && number > 0;
    }
    case 'date':
      return parseInstant(value) !== undefined;
    case 'picklist':
      return isSet(value);
  }
}

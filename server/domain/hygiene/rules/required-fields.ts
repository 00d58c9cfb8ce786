import type { ParsedFieldRule } from '../../policy/index.ts';
import { combine, scored, type RuleResult } from '../rule-result.ts';
import type { StagedRecord } from '../staged-record.ts';
import { isSet, parseInstant, parseNumber } from '../values.ts';
import { applicableFieldRows, missingFieldFinding } from './field-rows.ts';

/**
 * Section 2, the rows whose rule is `non_empty`, `positive_number` or `date` (picklist rows are
 * `picklists.ts`). A value failing its rule, because it is empty or is not a number > 0 or not a
 * date, is `missing_field:<property>`. Each applicable row is one scored check.
 */
export function requiredFieldResult(view: StagedRecord): RuleResult {
  return combine(
    applicableFieldRows(view)
      .filter((field) => field.rule.kind !== 'picklist')
      .map((field) => {
        const wanted = WANTED[field.rule.kind];
        return scored(passes(field.rule, field.value) ? [] : [missingFieldFinding(view, field, wanted)]);
      }),
  );
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

import { parseFieldRule, type FieldRequirement, type ParsedFieldRule } from '../../policy/index.ts';
import type { Finding } from '../finding.ts';
import { makeFinding } from '../rule-result.ts';
import { appliesAt, recordName, stageLabel, type StagedRecord } from '../staged-record.ts';
import { formatDay, isSet } from '../values.ts';

/**
 * Section 2's field rows, shared by the two families that check them: `required-fields` (non-empty,
 * a number, a date) and `picklists` (a governed value). A row applies to a record in scope at its
 * stage or later (`from`) or at its stage only (`only`); a row with `onlyWhenSet` applies only while
 * its field is non-empty.
 */
export type FieldRow = { row: FieldRequirement; rule: ParsedFieldRule; value: string | null | undefined };

/** The field rows of the record's object that apply to it now, with the value each one reads. */
export function applicableFieldRows(view: StagedRecord): readonly FieldRow[] {
  // Two families read the same rows of the same record: work them out once per record.
  let rows = computed.get(view);
  if (rows === undefined) computed.set(view, (rows = fieldRowsOf(view)));
  return rows;
}

const computed = new WeakMap<StagedRecord, readonly FieldRow[]>();

function fieldRowsOf(view: StagedRecord): FieldRow[] {
  return view.definitions.requiredFields.flatMap((row): FieldRow[] => {
    if (!('field' in row) || row.object !== view.object || !appliesAt(view, row)) return [];
    const value = view.record.properties[row.field];
    if (row.onlyWhenSet === true && !isSet(value)) return [];
    return [{ row, rule: parseFieldRule(row.rule), value }];
  });
}

/** `missing_field:<property>`: the field is empty, or not the number or date its rule needs. */
export function missingFieldFinding(view: StagedRecord, { row, rule, value }: FieldRow, wanted: string): Finding {
  const holds = isSet(value) ? ` (it holds "${value}")` : '';
  return makeFinding(view.record, view.definitions, 'missing_field', {
    code: `missing_field:${row.field}`,
    field: row.field,
    proposedFix: `Set \`${row.field}\` on ${recordName(view.record)}${wanted}${holds} — ${requiredBecause(view, row)}.`,
    facts: {
      rule: row.rule,
      requiredFrom: row.stage,
      applies: row.applies,
      value: value ?? null,
      stage: view.stage,
      ...(rule.kind === 'picklist' ? { picklist: rule.picklist } : {}),
    },
  });
}

/** Why a row applies, in words: "required from Discovery; the deal reached Discovery on 2026-11-10". */
export function requiredBecause(view: StagedRecord, at: { stage: string; applies: 'from' | 'only' }): string {
  const label = stageLabel(view, at.stage);
  const entered = view.entered.get(at.stage);
  const reached =
    entered === undefined
      ? `the ${view.object} is at ${stageLabel(view, view.stage)}`
      : `the ${view.object} reached ${label} on ${formatDay(entered)}`;
  return `${at.applies === 'only' ? 'required at' : 'required from'} ${label}; ${reached}`;
}

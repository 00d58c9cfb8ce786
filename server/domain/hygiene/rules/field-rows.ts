import { parseFieldRule, type FieldRequirement, type ParsedFieldRule } from '../../policy/index.ts';
import type { Finding } from '../finding.ts';
import { perStage } from '../per-definitions.ts';
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
  // Two families read the same rows of the same record, one after the other: work them out once per
  // record. One remembered record is enough for that, and unlike a map keyed by every record of a large
  // portal, it gives the garbage collector nothing to do.
  if (last?.view !== view) last = { view, rows: fieldRowsOf(view) };
  return last.rows;
}

let last: { view: StagedRecord; rows: readonly FieldRow[] } | undefined;

function fieldRowsOf(view: StagedRecord): FieldRow[] {
  const rows: FieldRow[] = [];
  for (const row of fieldRowsAt(view)) {
    const value = view.record.properties[row.field];
    if (row.onlyWhenSet === true && !isSet(value)) continue;
    rows.push({ row, rule: ruleOf(row), value });
  }
  return rows;
}

/** The field rows (not the checklist rows) of the record's object that apply at its stage, in definitions order. */
const fieldRowsAt = perStage((view) =>
  view.definitions.requiredFields.filter(
    (row): row is FieldRequirement => 'field' in row && row.object === view.object && appliesAt(view, row),
  ),
);

// A row's rule read once, not once per record; the text it was read from is kept so a row edited in
// place (tests do) is read again.
const rules = new WeakMap<FieldRequirement, { text: FieldRequirement['rule']; parsed: ParsedFieldRule }>();
function ruleOf(row: FieldRequirement): ParsedFieldRule {
  const known = rules.get(row);
  if (known !== undefined && known.text === row.rule) return known.parsed;
  const parsed = parseFieldRule(row.rule);
  rules.set(row, { text: row.rule, parsed });
  return parsed;
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

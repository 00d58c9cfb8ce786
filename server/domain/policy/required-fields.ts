import { z } from 'zod';
import { PropertyName, Slug, StagedObject } from './primitives.ts';
import { duplicateKeys, reportProblems } from './problems.ts';

/**
 * Section 2: the minimum data standard. A row applies to a record in scope whose current stage is
 * `stage` or later in the order (`applies: 'from'`), or exactly `stage` (`applies: 'only'`).
 *
 * Field rows test one property against a rule; a field failing because it is empty (or not a number
 * > 0, or not a date) is `missing_field`, a non-empty value outside a picklist's options is
 * `invalid_value`. With `onlyWhenSet` the row applies only while the field is non-empty, so it can
 * only ever find an invalid value. Checklist rows require every item of a checklist to be done
 * (`checklist_incomplete`).
 */

export const Applies = z.enum(['from', 'only']);
export type Applies = z.output<typeof Applies>;

/** `non_empty` (after trimming), `positive_number` (a number > 0), `date`, `picklist:<picklist name>`. */
export type FieldRule = 'non_empty' | 'positive_number' | 'date' | `picklist:${string}`;
const FIELD_RULE = /^(non_empty|positive_number|date|picklist:[a-z][a-z0-9_]*)$/;
export const FieldRule = z.custom<FieldRule>((value) => typeof value === 'string' && FIELD_RULE.test(value), {
  message: 'must be non_empty, positive_number, date or picklist:<picklist name>',
});

export const FieldRequirement = z.strictObject({
  object: StagedObject,
  stage: Slug,
  applies: Applies,
  field: PropertyName,
  rule: FieldRule,
  onlyWhenSet: z.boolean().optional(),
});
export type FieldRequirement = z.output<typeof FieldRequirement>;

export const ChecklistRequirement = z.strictObject({
  object: StagedObject,
  stage: Slug,
  applies: Applies,
  /** The id of a checklist (section 5) on the same object. */
  checklist: Slug,
});
export type ChecklistRequirement = z.output<typeof ChecklistRequirement>;

export const Requirement = z.union([FieldRequirement, ChecklistRequirement]);
export type Requirement = z.output<typeof Requirement>;

/** A row's identity, stable across versions: what the diff keys rows by and what must be unique. */
export function requirementKey(row: Requirement): string {
  return 'field' in row
    ? `${row.object}/${row.stage}/${row.field}`
    : `${row.object}/${row.stage}/checklist:${row.checklist}`;
}

export const RequiredFields = z.array(Requirement).superRefine((rows, ctx) =>
  reportProblems(
    duplicateKeys(rows, requirementKey, (key) => `required field ${key}`),
    ctx,
  ),
);

export type ParsedFieldRule =
  { kind: 'non_empty' } | { kind: 'positive_number' } | { kind: 'date' } | { kind: 'picklist'; picklist: string };

export function parseFieldRule(rule: FieldRule): ParsedFieldRule {
  switch (rule) {
    case 'non_empty':
    case 'positive_number':
    case 'date':
      return { kind: rule };
    default:
      return { kind: 'picklist', picklist: rule.slice('picklist:'.length) };
  }
}

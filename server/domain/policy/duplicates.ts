import { z } from 'zod';
import { CrmObject, PropertyName, Slug } from './primitives.ts';
import { duplicateKeys, reportProblems } from './problems.ts';

/**
 * Section 4, duplicates: records of `object` whose `property`, normalised by `normalise` in order,
 * is equal and non-empty form a group; every member but the survivor gets `duplicate:<survivor id>`
 * (field: `property`) and `clr_duplicate_of`. The same email normalisation matches ingested touches
 * to contacts (section 7).
 */
export const NormaliseStep = z.enum(['trim', 'lowercase', 'strip_leading_www']);
export type NormaliseStep = z.output<typeof NormaliseStep>;

export const DuplicateRule = z.strictObject({
  id: Slug,
  object: CrmObject,
  property: PropertyName,
  normalise: z.array(NormaliseStep).superRefine((steps, ctx) =>
    reportProblems(
      duplicateKeys(
        steps,
        (s) => s,
        (s) => `step "${s}"`,
      ),
      ctx,
    ),
  ),
  /** Which member of a group is kept: the lowest numeric record id. */
  survivor: z.literal('lowest_numeric_id'),
});
export type DuplicateRule = z.output<typeof DuplicateRule>;

export const DuplicateRules = z.array(DuplicateRule).superRefine((rules, ctx) =>
  reportProblems(
    duplicateKeys(
      rules,
      (r) => r.id,
      (id) => `duplicate rule "${id}"`,
      'id',
    ),
    ctx,
  ),
);

const STEPS: Record<NormaliseStep, (value: string) => string> = {
  trim: (value) => value.trim(),
  lowercase: (value) => value.toLowerCase(),
  strip_leading_www: (value) => (value.startsWith('www.') ? value.slice('www.'.length) : value),
};

/** The comparison key of a value under a rule; '' means the record takes no part in the check. */
export function normaliseKey(value: string | null | undefined, steps: readonly NormaliseStep[]): string {
  return steps.reduce((current, step) => STEPS[step](current), value ?? '');
}

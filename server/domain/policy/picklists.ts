import { z } from 'zod';
import { ExternalValue, Label, Option, Slug } from './primitives.ts';
import { duplicateKeys, reportProblems, under, type Problem } from './problems.ts';

/**
 * Section 3: governed picklists. Values compare exactly (case-sensitive, untrimmed). A legacy value is
 * a value found in portals from before the picklist was governed (`Google Ads`); the hygiene engine
 * reads it as the option it maps to instead of reporting it invalid. Version 1 defines none.
 */

export const LegacyValue = z.strictObject({
  /** The value as it appears in HubSpot, compared exactly like an option's value. */
  value: ExternalValue,
  /** The option value it stands for. */
  mapsTo: ExternalValue,
});
export type LegacyValue = z.output<typeof LegacyValue>;

const PicklistShape = z.strictObject({
  name: Slug,
  label: Label,
  /** In display order: the order HubSpot shows them in and reports list them in. */
  options: z.array(Option).min(1, 'a picklist needs at least one option'),
  legacyValues: z.array(LegacyValue),
});
export type Picklist = z.output<typeof PicklistShape>;
export const Picklist = PicklistShape.superRefine((picklist, ctx) => reportProblems(picklistProblems(picklist), ctx));

export const Picklists = z.array(Picklist).superRefine((picklists, ctx) =>
  reportProblems(
    duplicateKeys(
      picklists,
      (p) => p.name,
      (name) => `picklist "${name}"`,
      'name',
    ),
    ctx,
  ),
);

export function picklistProblems(picklist: Picklist): Problem[] {
  const values = new Set(picklist.options.map((option) => option.value));
  const problems: Problem[] = [
    ...under(
      ['options'],
      duplicateKeys(
        picklist.options,
        (o) => o.value,
        (v) => `option value "${v}"`,
        'value',
      ),
    ),
    ...under(
      ['legacyValues'],
      duplicateKeys(
        picklist.legacyValues,
        (l) => l.value,
        (v) => `legacy value "${v}"`,
        'value',
      ),
    ),
  ];
  picklist.legacyValues.forEach((legacy, i) => {
    if (values.has(legacy.value))
      problems.push({
        path: ['legacyValues', i, 'value'],
        message: `"${legacy.value}" is already an option of picklist "${picklist.name}"; a legacy value must not be one`,
      });
    if (!values.has(legacy.mapsTo))
      problems.push({
        path: ['legacyValues', i, 'mapsTo'],
        message: `"${legacy.mapsTo}" is not an option of picklist "${picklist.name}" (options: ${[...values].join(', ')})`,
      });
  });
  return problems;
}

import { z } from 'zod';
import { Label, Slug, StagedObject } from './primitives.ts';
import { duplicateKeys, reportProblems, under } from './problems.ts';

/**
 * Section 5: checklists the app stores per record (each item done with who checked it and when; a
 * new install has none done). A required-fields row with `checklist` makes one part of the standard.
 */
export const ChecklistItem = z.strictObject({ id: Slug, label: Label });
export type ChecklistItem = z.output<typeof ChecklistItem>;

export const Checklist = z
  .strictObject({
    id: Slug,
    label: Label,
    object: StagedObject,
    items: z.array(ChecklistItem).min(1, 'a checklist needs at least one item'),
  })
  .superRefine((checklist, ctx) =>
    reportProblems(
      under(
        ['items'],
        duplicateKeys(
          checklist.items,
          (i) => i.id,
          (id) => `item "${id}"`,
          'id',
        ),
      ),
      ctx,
    ),
  );
export type Checklist = z.output<typeof Checklist>;

export const Checklists = z.array(Checklist).superRefine((checklists, ctx) =>
  reportProblems(
    duplicateKeys(
      checklists,
      (c) => c.id,
      (id) => `checklist "${id}"`,
      'id',
    ),
    ctx,
  ),
);

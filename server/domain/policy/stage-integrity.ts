import { z } from 'zod';
import { reportProblems, duplicateKeys } from './problems.ts';

/**
 * Section 4, stage integrity, evaluated on every record in scope from its lifecycle (section 1):
 *
 * - `skipped`: every stage earlier than the current stage was entered; else one
 *   `stage_gap:skipped:<stage>` per stage not entered. (That `sal` is only expected once a contact is
 *   at `sql` or later follows from the order: `sal` is earlier than `sql`, not than `mql`.)
 * - `backward`: walking the stage property's history oldest first, counting only values that map to a
 *   stage (the stage without a condition), no value maps to a stage earlier than the one before it;
 *   values of one stage, and stages the order does not rank (closed_won ↔ closed_lost), are not
 *   moves; else one `stage_gap:backward:<from>><to>` per distinct pair.
 * - `out_of_order`: no entered stage has an entered-at earlier than that of the nearest earlier
 *   entered stage in the order (each chain on its own); else `stage_gap:out_of_order:<stage>`.
 *
 * The list order is also the precedence `clr_stage_integrity` reports the first kind present in.
 */
export const StageIntegrityCheck = z.enum(['skipped', 'backward', 'out_of_order']);
export type StageIntegrityCheck = z.output<typeof StageIntegrityCheck>;

export const StageIntegrity = z.strictObject({
  checks: z.array(StageIntegrityCheck).superRefine((checks, ctx) =>
    reportProblems(
      duplicateKeys(
        checks,
        (c) => c,
        (c) => `check "${c}"`,
      ),
      ctx,
    ),
  ),
});
export type StageIntegrity = z.output<typeof StageIntegrity>;

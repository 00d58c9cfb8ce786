import { z } from 'zod';
import { Label, PropertyName, Slug, StagedObject, CrmObject } from './primitives.ts';
import { Applies } from './required-fields.ts';
import { duplicateKeys, reportProblems } from './problems.ts';

/**
 * Section 4, join keys: the links closed-loop reporting walks (deal → buyer, ticket → deal, contract
 * ids). Each check applies to every record in scope of `object`, or only from `atStage` on.
 *
 * - `has_association`: at least one associated `to` record; else `missing_join_key:<to>`.
 * - `non_empty`: `property` is non-empty after trimming; else `missing_join_key:<property>`.
 * - `matches_association`: applies only when `property` is non-empty and there is at least one
 *   associated `to` record; passes when some associated record has the same value (both trimmed,
 *   then compared exactly); else `join_key_mismatch:<property>`.
 */

const AtStage = z.strictObject({ stage: Slug, applies: Applies });

const common = { id: Slug, label: Label, object: StagedObject, atStage: AtStage.optional() };

export const JoinKeyCheck = z.discriminatedUnion('kind', [
  z.strictObject({ ...common, kind: z.literal('has_association'), to: CrmObject }),
  z.strictObject({ ...common, kind: z.literal('non_empty'), property: PropertyName }),
  z.strictObject({ ...common, kind: z.literal('matches_association'), to: CrmObject, property: PropertyName }),
]);
export type JoinKeyCheck = z.output<typeof JoinKeyCheck>;

export const JoinKeyChecks = z.array(JoinKeyCheck).superRefine((checks, ctx) =>
  reportProblems(
    duplicateKeys(
      checks,
      (c) => c.id,
      (id) => `join key check "${id}"`,
      'id',
    ),
    ctx,
  ),
);

/** The key a check is about, as `clr_missing_join_keys` lists it and the finding code ends. */
export function joinKeyOf(check: JoinKeyCheck): string {
  return check.kind === 'has_association' ? check.to : check.property;
}

/** The finding a failing check produces. */
export function joinKeyFindingCode(check: JoinKeyCheck): string {
  const kind = check.kind === 'matches_association' ? 'join_key_mismatch' : 'missing_join_key';
  return `${kind}:${joinKeyOf(check)}`;
}

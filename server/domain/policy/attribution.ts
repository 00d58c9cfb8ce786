import { z } from 'zod';
import { Label, Slug } from './primitives.ts';
import { duplicateKeys, reportProblems, under, type Problem } from './problems.ts';

/**
 * Section 7: attribution settings. The algorithm (touches, key touches, cents and remainders) is the
 * attribution engine's; what an admin may tune is here.
 *
 * - `positional` models give each key-touch role a share of the amount, in percent (they sum to 100);
 *   a touch holding several roles gets the sum of their shares; `others` is split evenly across the
 *   touches holding no role of the model, and when there are none it is split evenly over the model's
 *   other roles (the roles with a share). Roles: first (earliest), last (latest), lead_creation,
 *   deal_creation (section 7's key touches).
 * - `linear`: equal shares across all touches.
 * - `time_decay`: each touch weighs 2^(−age / half-life), age = M − time, normalised to sum 1.
 *
 * One touch alone gets 100% under every model.
 */

const Percent = z.number().min(0).max(100);

export const RoleWeights = z.strictObject({
  first: Percent.optional(),
  last: Percent.optional(),
  lead_creation: Percent.optional(),
  deal_creation: Percent.optional(),
  others: Percent.optional(),
});
export type RoleWeights = z.output<typeof RoleWeights>;
export type TouchRole = keyof RoleWeights;

const model = { id: Slug, label: Label, enabled: z.boolean() };

export const AttributionModel = z.discriminatedUnion('kind', [
  z.strictObject({ ...model, kind: z.literal('positional'), weights: RoleWeights }),
  z.strictObject({ ...model, kind: z.literal('linear') }),
  z.strictObject({ ...model, kind: z.literal('time_decay'), halfLifeDays: z.number().positive() }),
]);
export type AttributionModel = z.output<typeof AttributionModel>;

export const Attribution = z
  .strictObject({
    /** Touches count for a credited moment M when M − lookbackDays ≤ time ≤ M. */
    lookbackDays: z.number().int().positive(),
    /** The channel of the single credit row of a deal with an amount but no touch. */
    unattributedChannel: Slug,
    models: z.array(AttributionModel).min(1),
  })
  .superRefine((attribution, ctx) => reportProblems(attributionProblems(attribution), ctx));
export type Attribution = z.output<typeof Attribution>;

// Shares are decimals people type (22.5); a sum off by float noise is still 100.
const SUM_TOLERANCE = 1e-9;

function attributionProblems(attribution: { models: AttributionModel[] }): Problem[] {
  const problems = under(
    ['models'],
    duplicateKeys(
      attribution.models,
      (m) => m.id,
      (id) => `model "${id}"`,
      'id',
    ),
  );
  attribution.models.forEach((model, i) => {
    if (model.kind !== 'positional') return;
    const sum = Object.values(model.weights).reduce<number>((total, share) => total + (share ?? 0), 0);
    if (Math.abs(sum - 100) > SUM_TOLERANCE)
      problems.push({ path: ['models', i, 'weights'], message: `shares must sum to 100, not ${sum}` });
    const roles = Object.entries(model.weights).filter(([role, share]) => role !== 'others' && (share ?? 0) > 0);
    if (roles.length === 0)
      problems.push({
        path: ['models', i, 'weights'],
        message:
          'give at least one role (first, last, lead_creation, deal_creation) a share; use kind linear to split evenly',
      });
  });
  return problems;
}

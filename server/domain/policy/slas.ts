import { z } from 'zod';
import { Label, PropertyName, Slug, StagedObject } from './primitives.ts';
import { duplicateKeys, reportProblems } from './problems.ts';

/**
 * Section 6: service levels, timed against `now` (an argument, never the machine's clock).
 *
 * An SLA applies to a record in scope of `object` whose current stage is one of `atStages` (when
 * given) and whose `start` moment exists. It is breached when `end` exists and comes more than
 * `threshold` after `start`, or when `end` does not exist (or is `null`: the clock never stops) and
 * `now` is more than `threshold` after `start`. "More than" is strict.
 */
export const SlaMoment = z.discriminatedUnion('kind', [
  /** The entered-at of a stage (section 1). */
  z.strictObject({ kind: z.literal('stage_entered'), stage: Slug }),
  /** The entered-at of the record's current stage. */
  z.strictObject({ kind: z.literal('current_stage_entered') }),
  /** The earliest entered-at among the stages later than `after`: when the record moved on. */
  z.strictObject({ kind: z.literal('next_stage_entered'), after: Slug }),
  /** A date or datetime property of the record. */
  z.strictObject({ kind: z.literal('property'), property: PropertyName }),
]);
export type SlaMoment = z.output<typeof SlaMoment>;

export const Threshold = z.strictObject({
  value: z.number().positive(),
  unit: z.enum(['hours', 'days']),
});
export type Threshold = z.output<typeof Threshold>;

export const Sla = z.strictObject({
  id: Slug,
  label: Label,
  object: StagedObject,
  atStages: z.array(Slug).min(1).optional(),
  start: SlaMoment,
  end: SlaMoment.nullable(),
  threshold: Threshold,
});
export type Sla = z.output<typeof Sla>;

export const Slas = z.array(Sla).superRefine((slas, ctx) =>
  reportProblems(
    duplicateKeys(
      slas,
      (s) => s.id,
      (id) => `SLA "${id}"`,
      'id',
    ),
    ctx,
  ),
);

const HOUR_MS = 3_600_000;

/** A threshold in milliseconds; a day is 24 hours (times are UTC instants, so no DST). */
export function thresholdMs(threshold: Threshold): number {
  return threshold.value * (threshold.unit === 'hours' ? HOUR_MS : 24 * HOUR_MS);
}

/** The stage ids an SLA names, with where, for checking them against its object's lifecycle. */
export function stagesNamedBy(sla: Sla): { path: (string | number)[]; stage: string }[] {
  const ofMoment = (moment: SlaMoment | null, key: 'start' | 'end') => {
    if (moment?.kind === 'stage_entered') return [{ path: [key, 'stage'], stage: moment.stage }];
    if (moment?.kind === 'next_stage_entered') return [{ path: [key, 'after'], stage: moment.after }];
    return [];
  };
  return [
    ...(sla.atStages ?? []).map((stage, i) => ({ path: ['atStages', i], stage })),
    ...ofMoment(sla.start, 'start'),
    ...ofMoment(sla.end, 'end'),
  ];
}

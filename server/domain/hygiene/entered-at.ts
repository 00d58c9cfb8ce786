import {
  dateEnteredPropertyOf,
  perPipeline,
  valuesOfStage,
  type Lifecycle,
  type PipelineMapping,
} from '../policy/index.ts';
import type { StageStep } from './history.ts';
import type { PropertyValues } from './input.ts';
import { parseInstant } from './values.ts';

/**
 * Section 1, entered-at. A HubSpot stage value's entered-at is its date-entered property when set,
 * else the earliest time the stage property's history holds the value; a closed-loop stage's is the
 * earliest over its values; a stage with none was not entered (it is absent from the map). A stage
 * with an `enteredAtProperty` (`sal`: `clr_sal_date`) is dated by that property alone, because the
 * history of its shared HubSpot value (`marketingqualifiedlead`) dates `mql`, not it.
 *
 * A date-entered property that holds no readable instant counts as not set, so the history decides.
 */
export function enteredAtByStage(
  lifecycle: Lifecycle,
  mapping: PipelineMapping,
  properties: PropertyValues,
  steps: readonly StageStep[],
): Map<string, number> {
  const entered = new Map<string, number>();
  for (const stage of datingOf(lifecycle, mapping)) {
    let at: number | undefined;
    if (stage.enteredAtProperty !== undefined) at = parseInstant(properties[stage.enteredAtProperty]);
    else
      for (const { value, dateEntered } of stage.values) {
        const valueAt = enteredAt(value, dateEntered, properties, steps);
        if (valueAt !== undefined && (at === undefined || valueAt < at)) at = valueAt;
      }
    if (at !== undefined) entered.set(stage.id, at);
  }
  return entered;
}

/** The entered-at of one HubSpot stage value. */
export function valueEnteredAt(
  lifecycle: Lifecycle,
  value: string,
  properties: PropertyValues,
  steps: readonly StageStep[],
): number | undefined {
  return enteredAt(value, dateEnteredPropertyOf(lifecycle, value), properties, steps);
}

function enteredAt(
  value: string,
  dateEntered: string,
  properties: PropertyValues,
  steps: readonly StageStep[],
): number | undefined {
  const dated = parseInstant(properties[dateEntered]);
  if (dated !== undefined) return dated;
  let min: number | undefined;
  for (const step of steps) if (step.value === value && (min === undefined || step.at < min)) min = step.at;
  return min;
}

/**
 * How each stage of a lifecycle is dated in one pipeline: by its own property, or by its HubSpot
 * values, each with its date-entered property. It depends only on the definitions, so it is worked out
 * once per lifecycle and pipeline, not once per record.
 */
type StageDating = {
  readonly id: string;
  readonly enteredAtProperty: string | undefined;
  readonly values: readonly { readonly value: string; readonly dateEntered: string }[];
};

function datingOf(lifecycle: Lifecycle, mapping: PipelineMapping): readonly StageDating[] {
  const known = datings(lifecycle, mapping);
  // Read again should the lifecycle's pattern be edited in place.
  return known.pattern === lifecycle.dateEnteredProperty ? known.stages : stageDatings(lifecycle, mapping);
}

const datings = perPipeline((lifecycle, mapping) => ({
  pattern: lifecycle.dateEnteredProperty,
  stages: stageDatings(lifecycle, mapping),
}));

function stageDatings(lifecycle: Lifecycle, mapping: PipelineMapping): StageDating[] {
  return lifecycle.stages.map((stage) => ({
    id: stage.id,
    enteredAtProperty: stage.enteredAtProperty,
    values: valuesOfStage(mapping, stage.id).map((value) => ({
      value,
      dateEntered: dateEnteredPropertyOf(lifecycle, value),
    })),
  }));
}

import { dateEnteredPropertyOf, valuesOfStage, type Lifecycle, type PipelineMapping } from '../policy/index.ts';
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
  for (const stage of lifecycle.stages) {
    const at =
      stage.enteredAtProperty !== undefined
        ? parseInstant(properties[stage.enteredAtProperty])
        : earliest(
            valuesOfStage(mapping, stage.id).map((value) => valueEnteredAt(lifecycle, value, properties, steps)),
          );
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
  const dated = parseInstant(properties[dateEnteredProperty(lifecycle, value)]);
  if (dated !== undefined) return dated;
  let min: number | undefined;
  for (const step of steps) if (step.value === value && (min === undefined || step.at < min)) min = step.at;
  return min;
}

// The date-entered property of each stage value, named once per lifecycle, not once per record (again
// should the lifecycle's pattern be edited in place).
const dateEnteredNames = new WeakMap<Lifecycle, { pattern: string; names: Map<string, string> }>();
function dateEnteredProperty(lifecycle: Lifecycle, value: string): string {
  let known = dateEnteredNames.get(lifecycle);
  if (known === undefined || known.pattern !== lifecycle.dateEnteredProperty) {
    known = { pattern: lifecycle.dateEnteredProperty, names: new Map() };
    dateEnteredNames.set(lifecycle, known);
  }
  let name = known.names.get(value);
  if (name === undefined) known.names.set(value, (name = dateEnteredPropertyOf(lifecycle, value)));
  return name;
}

function earliest(instants: readonly (number | undefined)[]): number | undefined {
  let min: number | undefined;
  for (const at of instants) if (at !== undefined && (min === undefined || at < min)) min = at;
  return min;
}

import { z } from 'zod';
import { ExternalValue, Label, PropertyName, Slug } from './primitives.ts';
import { duplicateKeys, reportProblems, under, type Problem } from './problems.ts';
import { stageOrder } from './stage-order.ts';

/**
 * Section 1: how a record's closed-loop stage is read from HubSpot, per object.
 *
 * A record is in scope when its pipeline is one of the lifecycle's `pipelines` (contacts have no
 * pipeline: one mapping with id `null`) and its stage property's current value maps to a stage there.
 * Admins re-map a real portal's pipeline and stage ids here; the closed-loop stage ids stay fixed,
 * so every other section (which names stages by closed-loop id) keeps working.
 */

/** The placeholder a date-entered property pattern carries for the HubSpot stage value. */
export const STAGE_ID_PLACEHOLDER = '<stageId>';

/**
 * An extra condition a stage needs beyond its HubSpot value. `set` means non-empty after trimming,
 * the spec's meaning of "non-empty". Only `sal` uses one in version 1: lifecyclestage is
 * `marketingqualifiedlead` and `clr_sal_date` is set.
 */
export const StageCondition = z.strictObject({ property: PropertyName, is: z.literal('set') });
export type StageCondition = z.output<typeof StageCondition>;

export const Stage = z.strictObject({
  id: Slug,
  label: Label,
  /** When present, the stage needs it on top of its HubSpot value; the stage wins over the unconditioned one. */
  condition: StageCondition.optional(),
  /**
   * When present, the stage's entered-at is this property alone (no date-entered pattern, no history
   * fallback): the history of a shared HubSpot value would date the other stage, not this one.
   */
  enteredAtProperty: PropertyName.optional(),
});
export type Stage = z.output<typeof Stage>;

/** `hs_date_entered_<stageId>`: the date-entered property of one HubSpot stage value. */
export const DateEnteredPattern = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]*<stageId>[a-z0-9_]*$/,
    `must be a property name with ${STAGE_ID_PLACEHOLDER} where the HubSpot stage value goes, e.g. hs_date_entered_${STAGE_ID_PLACEHOLDER}`,
  );

/** The HubSpot values of the stage property that map to each closed-loop stage, in one pipeline. */
export const PipelineMapping = z.strictObject({
  /** The HubSpot pipeline id; `null` for an object without pipelines (contacts). */
  id: ExternalValue.nullable(),
  values: z.record(Slug, z.array(ExternalValue).min(1, 'must list at least one HubSpot value')),
});
export type PipelineMapping = z.output<typeof PipelineMapping>;

const LifecycleShape = z.strictObject({
  /** The HubSpot property holding the stage: lifecyclestage, dealstage, hs_pipeline_stage. */
  stageProperty: PropertyName,
  /** The HubSpot property holding the pipeline (pipeline, hs_pipeline); `null` for contacts. */
  pipelineProperty: PropertyName.nullable(),
  /**
   * A HubSpot stage value's date-entered property. A HubSpot stage's entered-at is this property when
   * set, else the earliest time the stage property's history holds the value; a closed-loop stage's
   * entered-at is the earliest over its values (unless the stage names an `enteredAtProperty`).
   */
  dateEnteredProperty: DateEnteredPattern,
  /** The closed-loop stages, listed in an order consistent with `order`. */
  stages: z.array(Stage).min(1),
  /** Chains of stage ids, each earliest first; "earlier" is their transitive closure. */
  order: z.array(z.array(Slug).min(1, 'a chain needs at least one stage')).min(1),
  /** The pipelines in scope and how their stage values map; only these records are evaluated. */
  pipelines: z.array(PipelineMapping).min(1),
});
export type Lifecycle = z.output<typeof LifecycleShape>;
export const Lifecycle = LifecycleShape.superRefine((lifecycle, ctx) =>
  reportProblems(lifecycleProblems(lifecycle), ctx),
);

/** The three lifecycles: one per staged object, all required (the loop runs across all three). */
export const Stages = z.strictObject({ contact: Lifecycle, deal: Lifecycle, ticket: Lifecycle });
export type Stages = z.output<typeof Stages>;

export function lifecycleProblems(lifecycle: Lifecycle): Problem[] {
  return [...stageIdProblems(lifecycle), ...orderProblems(lifecycle), ...pipelineProblems(lifecycle)];
}

function stageIdProblems(lifecycle: Lifecycle): Problem[] {
  return under(
    ['stages'],
    duplicateKeys(
      lifecycle.stages,
      (stage) => stage.id,
      (id) => `stage id "${id}"`,
      'id',
    ),
  );
}

function orderProblems(lifecycle: Lifecycle): Problem[] {
  const known = new Set(lifecycle.stages.map((stage) => stage.id));
  const problems: Problem[] = [];
  lifecycle.order.forEach((chain, c) => {
    const seen = new Set<string>();
    chain.forEach((id, j) => {
      if (!known.has(id)) problems.push({ path: ['order', c, j], message: unknownStage(id, known) });
      else if (seen.has(id))
        problems.push({ path: ['order', c, j], message: `stage "${id}" appears twice in this chain` });
      seen.add(id);
    });
  });
  const placed = new Set(lifecycle.order.flat());
  lifecycle.stages.forEach((stage, i) => {
    if (!placed.has(stage.id))
      problems.push({ path: ['stages', i, 'id'], message: `stage "${stage.id}" is not placed in the order` });
  });
  const order = stageOrder(lifecycle);
  if (order.cyclic.length > 0)
    problems.push({
      path: ['order'],
      message: `the order has a cycle: ${order.cyclic.join(', ')} would each come before themselves`,
    });
  else {
    // Checks (and people) walk stages in listed order, so a stage listed before one of its predecessors is a trap.
    lifecycle.stages.forEach((stage, i) => {
      const misplaced = lifecycle.stages.slice(i + 1).find((later) => order.isEarlier(later.id, stage.id));
      if (misplaced)
        problems.push({
          path: ['stages', i, 'id'],
          message: `stage "${stage.id}" is listed before "${misplaced.id}", which comes earlier in the order`,
        });
    });
  }
  return problems;
}

function pipelineProblems(lifecycle: Lifecycle): Problem[] {
  const problems: Problem[] = [];
  const { pipelines, pipelineProperty } = lifecycle;
  if (pipelineProperty === null) {
    if (pipelines.length > 1)
      problems.push({
        path: ['pipelines'],
        message: 'an object without a pipeline property has exactly one mapping (with id null)',
      });
    pipelines.forEach((pipeline, i) => {
      if (pipeline.id !== null)
        problems.push({ path: ['pipelines', i, 'id'], message: 'must be null: pipelineProperty is null' });
    });
  } else {
    pipelines.forEach((pipeline, i) => {
      if (pipeline.id === null)
        problems.push({
          path: ['pipelines', i, 'id'],
          message: `must name a pipeline (a value of ${pipelineProperty})`,
        });
    });
  }
  problems.push(
    ...under(
      ['pipelines'],
      duplicateKeys(
        pipelines,
        (p) => String(p.id),
        (id) => `pipeline "${id}"`,
        'id',
      ),
    ),
  );
  pipelines.forEach((pipeline, i) => problems.push(...mappingProblems(lifecycle, pipeline, i)));
  lifecycle.stages.forEach((stage, i) => {
    if (!pipelines.some((pipeline) => (pipeline.values[stage.id] ?? []).length > 0))
      problems.push({
        path: ['stages', i, 'id'],
        message: `stage "${stage.id}" has no HubSpot value in any pipeline, so no record could ever enter it`,
      });
  });
  return problems;
}

function mappingProblems(lifecycle: Lifecycle, pipeline: PipelineMapping, index: number): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(lifecycle.stages.map((stage) => [stage.id, stage]));
  const order = stageOrder(lifecycle);
  const base = ['pipelines', index, 'values'];
  const stagesOfValue = new Map<string, { stage: string; path: (string | number)[] }[]>();
  for (const [stageId, values] of Object.entries(pipeline.values)) {
    if (!byId.has(stageId)) {
      problems.push({ path: [...base, stageId], message: unknownStage(stageId, new Set(byId.keys())) });
      continue;
    }
    values.forEach((value, j) => {
      const path = [...base, stageId, j];
      const entries = stagesOfValue.get(value) ?? [];
      if (entries.some((entry) => entry.stage === stageId))
        problems.push({ path, message: `HubSpot value "${value}" is listed twice for stage "${stageId}"` });
      else entries.push({ stage: stageId, path });
      stagesOfValue.set(value, entries);
    });
  }
  for (const [value, entries] of stagesOfValue) {
    const plain = entries.filter((entry) => byId.get(entry.stage)?.condition === undefined);
    const at = (plain[1] ?? entries[0])!.path;
    if (plain.length === 0)
      problems.push({
        path: at,
        message: `HubSpot value "${value}" maps only to stages with a condition (${entries.map((e) => e.stage).join(', ')}); one stage without a condition must take it, for records whose condition does not hold and for the property history`,
      });
    else if (plain.length > 1)
      problems.push({
        path: at,
        message: `HubSpot value "${value}" maps to ${plain.map((e) => `"${e.stage}"`).join(' and ')}; only one stage without a condition may take a value`,
      });
    const unordered = entries.flatMap((a) =>
      entries.filter((b) => a.stage < b.stage && order.areUnordered(a.stage, b.stage)).map((b) => [a, b] as const),
    );
    for (const [a, b] of unordered)
      problems.push({
        path: b.path,
        message: `HubSpot value "${value}" maps to "${a.stage}" and "${b.stage}", which the order does not rank; stages sharing a value must be ordered so the later one can win`,
      });
  }
  return problems;
}

function unknownStage(id: string, known: ReadonlySet<string>): string {
  return `unknown stage "${id}"; the stages of this object are ${[...known].join(', ')}`;
}

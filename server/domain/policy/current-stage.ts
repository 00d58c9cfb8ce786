import { perPipeline } from './per-pipeline.ts';
import { stageOrder, type StageOrder } from './stage-order.ts';
import {
  STAGE_ID_PLACEHOLDER,
  type Lifecycle,
  type PipelineMapping,
  type Stage,
  type StageCondition,
} from './stages.ts';

/**
 * Reading a record's stage under a lifecycle (section 1). Properties are HubSpot's strings as HubSpot
 * sent them; stage and pipeline ids compare exactly.
 */
export type RecordProperties = Readonly<Record<string, string | null | undefined>>;

/** The mapping of the record's pipeline, or undefined when that pipeline is out of scope. */
export function pipelineOf(lifecycle: Lifecycle, properties: RecordProperties): PipelineMapping | undefined {
  if (lifecycle.pipelineProperty === null) return lifecycle.pipelines[0];
  const pipeline = properties[lifecycle.pipelineProperty];
  return lifecycle.pipelines.find((mapping) => mapping.id !== null && mapping.id === pipeline);
}

export function conditionHolds(condition: StageCondition | undefined, properties: RecordProperties): boolean {
  if (condition === undefined) return true;
  return (properties[condition.property] ?? '').trim() !== '';
}

/**
 * The record's current closed-loop stage, or undefined when the record is out of scope (its pipeline
 * is not mapped, or its stage value maps to no stage). When a value maps to several stages (`mql` and
 * `sal`), the latest whose condition holds wins.
 */
export function currentStage(lifecycle: Lifecycle, properties: RecordProperties): string | undefined {
  const mapping = pipelineOf(lifecycle, properties);
  return mapping === undefined ? undefined : currentStageIn(lifecycle, mapping, properties);
}

/** `currentStage` for a caller that has read the record's pipeline mapping already. */
export function currentStageIn(
  lifecycle: Lifecycle,
  mapping: PipelineMapping,
  properties: RecordProperties,
): string | undefined {
  const value = properties[lifecycle.stageProperty];
  if (value === null || value === undefined) return undefined;
  let latest: Stage | undefined;
  for (const stage of stagesWithValue(lifecycle, mapping, value)) {
    if (!conditionHolds(stage.condition, properties)) continue;
    if (latest === undefined || orderOf(lifecycle).isEarlier(latest.id, stage.id)) latest = stage;
  }
  return latest?.id;
}

/** In scope: the checks of the policy apply and compliance properties are written. */
export function isInScope(lifecycle: Lifecycle, properties: RecordProperties): boolean {
  return currentStage(lifecycle, properties) !== undefined;
}

/**
 * The stage a value of the stage property's history counts as: its stage without a condition (the
 * history cannot tell whether a condition held back then). Undefined for a value mapping to no stage.
 */
export function stageOfHistoryValue(lifecycle: Lifecycle, mapping: PipelineMapping, value: string): string | undefined {
  return stagesWithValue(lifecycle, mapping, value).find((stage) => stage.condition === undefined)?.id;
}

/** The HubSpot values (in one pipeline) whose entered-at make up a closed-loop stage's entered-at. */
export function valuesOfStage(mapping: PipelineMapping, stageId: string): readonly string[] {
  return Object.hasOwn(mapping.values, stageId) ? (mapping.values[stageId] ?? []) : [];
}

/** The date-entered property of one HubSpot stage value (`hs_date_entered_closedwon`). */
export function dateEnteredPropertyOf(lifecycle: Lifecycle, value: string): string {
  return lifecycle.dateEnteredProperty.replace(STAGE_ID_PLACEHOLDER, value);
}

function stagesWithValue(lifecycle: Lifecycle, mapping: PipelineMapping, value: string): readonly Stage[] {
  return stagesByValue(lifecycle, mapping).get(value) ?? [];
}

// Which stages each HubSpot value maps to (in listed order) depends only on the lifecycle and the
// pipeline: listed once per pipeline mapping of a definitions version, not searched per record.
const stagesByValue = perPipeline((lifecycle, mapping): ReadonlyMap<string, readonly Stage[]> => {
  const stages = new Map<string, Stage[]>();
  for (const stage of lifecycle.stages)
    for (const value of valuesOfStage(mapping, stage.id)) {
      const list = stages.get(value) ?? [];
      // A value listed twice for one stage (which validation refuses) still names the stage once.
      if (!list.includes(stage)) list.push(stage);
      stages.set(value, list);
    }
  return stages;
});

// A stage value shared by several stages (`mql` and `sal`) needs the order on every such record: build
// it once per lifecycle of a definitions version.
const orders = new WeakMap<Lifecycle, StageOrder>();
function orderOf(lifecycle: Lifecycle): StageOrder {
  let order = orders.get(lifecycle);
  if (order === undefined) orders.set(lifecycle, (order = stageOrder(lifecycle)));
  return order;
}

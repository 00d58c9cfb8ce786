import {
  currentStageIn,
  pipelineOf,
  stageOrder,
  StagedObject,
  type CrmObject,
  type Definitions,
  type Lifecycle,
  type PipelineMapping,
  type StageOrder,
} from '../policy/index.ts';
import { enteredAtByStage } from './entered-at.ts';
import { stageSteps, type StageStep } from './history.ts';
import type { RecordInput } from './input.ts';

/**
 * A record in scope, read once under its lifecycle (section 1): its current stage, its stage history
 * oldest first and the entered-at of every stage it entered. Every stage-based rule reads this view,
 * so they all agree on what the record's stages are.
 */
export type StagedRecord = {
  readonly record: RecordInput;
  readonly object: StagedObject;
  readonly definitions: Definitions;
  readonly lifecycle: Lifecycle;
  readonly order: StageOrder;
  readonly mapping: PipelineMapping;
  /** The current closed-loop stage. */
  readonly stage: string;
  readonly steps: readonly StageStep[];
  /** Stage id → entered-at (epoch ms); a stage absent was not entered. */
  readonly entered: ReadonlyMap<string, number>;
  readonly now: number;
};

/** The view of a record in scope, or undefined when it is out of scope (no check applies to it). */
export function stagedRecord(record: RecordInput, definitions: Definitions, now: number): StagedRecord | undefined {
  if (!isStagedObject(record.objectType)) return undefined;
  const object = record.objectType;
  const lifecycle = definitions.stages[object];
  const mapping = pipelineOf(lifecycle, record.properties);
  if (mapping === undefined) return undefined;
  const stage = currentStageIn(lifecycle, mapping, record.properties);
  if (stage === undefined) return undefined;
  const steps = stageSteps(record.propertiesWithHistory?.[lifecycle.stageProperty], lifecycle, mapping);
  const entered = enteredAtByStage(lifecycle, mapping, record.properties, steps);
  return { record, object, definitions, lifecycle, order: orderOf(lifecycle), mapping, stage, steps, entered, now };
}

// A set lookup rather than the schema's parse: this runs once per record evaluated.
const STAGED_OBJECTS: ReadonlySet<string> = new Set(StagedObject.options);
export function isStagedObject(object: CrmObject): object is StagedObject {
  return STAGED_OBJECTS.has(object);
}

// The order's closure is built once per lifecycle of a definitions version, not once per record.
const orders = new WeakMap<Lifecycle, StageOrder>();
function orderOf(lifecycle: Lifecycle): StageOrder {
  let order = orders.get(lifecycle);
  if (order === undefined) {
    order = stageOrder(lifecycle);
    orders.set(lifecycle, order);
  }
  return order;
}

/** `applies: 'from'` holds at the stage named or later; `'only'` at that stage alone. */
export function appliesAt(view: StagedRecord, at: { stage: string; applies: 'from' | 'only' }): boolean {
  return at.applies === 'only' ? view.stage === at.stage : view.order.isAtOrLater(view.stage, at.stage);
}

export function stageLabel(view: StagedRecord, id: string): string {
  return view.lifecycle.stages.find((stage) => stage.id === id)?.label ?? id;
}

/** How a proposed fix names the record: "deal 1234". */
export function recordName(record: Pick<RecordInput, 'objectType' | 'id'>): string {
  return `${record.objectType} ${record.id}`;
}

import { perPipeline, stageOfHistoryValue, type Lifecycle, type PipelineMapping } from '../policy/index.ts';
import type { HistoryEntry } from './input.ts';
import { parseInstant } from './values.ts';

/** One value the stage property held, from `at`, with the closed-loop stage it counts as (if any). */
export type StageStep = { readonly value: string; readonly at: number; readonly stage: string | undefined };

/**
 * The stage property's history oldest first. HubSpot lists it newest first, but the engine sorts by
 * timestamp itself so its results never depend on the order it was handed. Entries at the same
 * instant go in the lifecycle's listed stage order (then by value): a tie is read as a move forward,
 * never as a move backward the data cannot prove. Cleared values (null or empty) and entries without
 * a readable timestamp are not values the record held, so they are dropped.
 */
export function stageSteps(
  entries: readonly HistoryEntry[] | undefined,
  lifecycle: Lifecycle,
  mapping: PipelineMapping,
): StageStep[] {
  if (entries === undefined || entries.length === 0) return [];
  const reader = readerOf(lifecycle, mapping);
  const steps: StageStep[] = [];
  for (const entry of entries) {
    const at = parseInstant(entry.timestamp);
    if (at === undefined || entry.value === null || entry.value === '') continue;
    steps.push({ value: entry.value, at, stage: reader.stageOf(entry.value) });
  }
  return inOrder(steps, reader.compare) ? steps : steps.sort(reader.compare);
}

// Histories mostly come in order already (oldest first, as the mirror reads them): a check in one
// pass costs less than a sort.
function inOrder(steps: readonly StageStep[], compare: (a: StageStep, b: StageStep) => number): boolean {
  for (let i = 1; i < steps.length; i++) if (compare(steps[i - 1]!, steps[i]!) > 0) return false;
  return true;
}

/** What reading a history needs of a lifecycle and pipeline, built once per pair, not once per record. */
type HistoryReader = {
  /** The stage a history value counts as; read once per value, not per entry. */
  stageOf(value: string): string | undefined;
  /** Oldest first; at the same instant, in the lifecycle's listed stage order, then by value. */
  compare(a: StageStep, b: StageStep): number;
};

const readerOf = perPipeline(newReader);

function newReader(lifecycle: Lifecycle, mapping: PipelineMapping): HistoryReader {
  const rank = new Map(lifecycle.stages.map((stage, index) => [stage.id, index]));
  const stepRank = (step: StageStep) => (step.stage === undefined ? Infinity : (rank.get(step.stage) ?? Infinity));
  const known = new Map<string, string | undefined>();
  return {
    stageOf(value) {
      const stage = known.get(value);
      if (stage !== undefined || known.has(value)) return stage;
      const read = stageOfHistoryValue(lifecycle, mapping, value);
      known.set(value, read);
      return read;
    },
    compare: (a, b) => a.at - b.at || stepRank(a) - stepRank(b) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
  };
}

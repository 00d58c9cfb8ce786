import { stageOfHistoryValue, type Lifecycle, type PipelineMapping } from '../policy/index.ts';
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
  const rank = rankOf(lifecycle);
  const stageOf = stageReader(lifecycle, mapping);
  const steps: StageStep[] = [];
  for (const entry of entries ?? []) {
    const at = parseInstant(entry.timestamp);
    if (at === undefined || entry.value === null || entry.value === '') continue;
    steps.push({ value: entry.value, at, stage: stageOf(entry.value) });
  }
  const stepRank = (step: StageStep) => (step.stage === undefined ? Infinity : (rank.get(step.stage) ?? Infinity));
  return steps.sort(
    (a, b) => a.at - b.at || stepRank(a) - stepRank(b) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
  );
}

// The listed order of a lifecycle's stages, built once per lifecycle (like the readers below).
const ranks = new WeakMap<Lifecycle, ReadonlyMap<string, number>>();
function rankOf(lifecycle: Lifecycle): ReadonlyMap<string, number> {
  let rank = ranks.get(lifecycle);
  if (rank === undefined)
    ranks.set(lifecycle, (rank = new Map(lifecycle.stages.map((stage, index) => [stage.id, index]))));
  return rank;
}

// A history value's stage depends only on the lifecycle and pipeline: read once per value, not per
// entry. Definitions are immutable versions, so the objects are safe cache keys.
const readers = new WeakMap<Lifecycle, WeakMap<PipelineMapping, Map<string, string | undefined>>>();
function stageReader(lifecycle: Lifecycle, mapping: PipelineMapping): (value: string) => string | undefined {
  let byMapping = readers.get(lifecycle);
  if (byMapping === undefined) readers.set(lifecycle, (byMapping = new WeakMap()));
  let cache = byMapping.get(mapping);
  if (cache === undefined) byMapping.set(mapping, (cache = new Map()));
  const known = cache;
  return (value) => {
    if (!known.has(value)) known.set(value, stageOfHistoryValue(lifecycle, mapping, value));
    return known.get(value);
  };
}

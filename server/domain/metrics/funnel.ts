/**
 * Funnel and velocity of one lifecycle (contacts, deals or tickets) over the records in scope, from
 * each record's entered-at per stage (the hygiene engine's view). Pure.
 *
 * - entered: records that entered the stage;
 * - next-step conversion: entered the next stage ÷ entered this one (the stages as the policy orders
 *   them; the last stage has none);
 * - cumulative conversion: entered this stage ÷ entered the first;
 * - velocity: days from entering a stage to entering the next stage the record reached, over the
 *   records that made that move; median and 75th percentile.
 */
export type StageFunnel = {
  stage: string;
  entered: number;
  nextStepConversion: number | null;
  cumulativeConversion: number | null;
  medianDays: number | null;
  p75Days: number | null;
};

const DAY_MS = 86_400_000;

/** `stages`: the lifecycle's main path in order; `entered`: one map per record in scope. */
export function funnel(stages: readonly string[], entered: readonly ReadonlyMap<string, number>[]): StageFunnel[] {
  const counts = stages.map((stage) => entered.filter((e) => e.has(stage)).length);
  const first = counts[0] ?? 0;
  return stages.map((stage, i) => {
    const count = counts[i]!;
    const next = stages[i + 1];
    const days = next === undefined ? [] : durations(entered, stage, stages.slice(i + 1));
    return {
      stage,
      entered: count,
      nextStepConversion: next === undefined || count === 0 ? null : round4(counts[i + 1]! / count),
      cumulativeConversion: first === 0 ? null : round4(count / first),
      medianDays: percentile(days, 0.5),
      p75Days: percentile(days, 0.75),
    };
  });
}

function durations(entered: readonly ReadonlyMap<string, number>[], stage: string, later: readonly string[]): number[] {
  const days: number[] = [];
  for (const e of entered) {
    const from = e.get(stage);
    if (from === undefined) continue;
    const to = later.map((s) => e.get(s)).find((t) => t !== undefined);
    if (to !== undefined && to >= from) days.push((to - from) / DAY_MS);
  }
  return days.sort((a, b) => a - b);
}

/** Nearest-rank percentile (the value a person can find in the list), to two decimals. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return Math.round(sorted[rank - 1]! * 100) / 100;
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

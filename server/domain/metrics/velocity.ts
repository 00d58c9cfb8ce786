import { percentile } from './funnel.ts';

/**
 * Velocity of one lifecycle: for each stage of the main path, how long records took to move on — the
 * days from entering the stage to entering the next stage of the path they reached (the funnel's
 * definition, `funnel.ts`), over the records that made that move. Median and 75th percentile by nearest
 * rank, so each is the figure of a record one can find in the drill-down. Pure.
 */
export type StageMove = { id: string; days: number };
export type StageVelocity = {
  stage: string;
  /** Records that entered the stage and later a stage after it on the path: the base of the percentiles. */
  moves: number;
  medianDays: number | null;
  p75Days: number | null;
};

const DAY_MS = 86_400_000;

/** Each stage's moves (record and days, fastest first); the last stage of the path has none. */
export function stageMoves(
  stages: readonly string[],
  records: readonly { id: string; entered: ReadonlyMap<string, number> }[],
): Map<string, StageMove[]> {
  const moves = new Map<string, StageMove[]>();
  stages.forEach((stage, i) => {
    const later = stages.slice(i + 1);
    const list: StageMove[] = [];
    if (later.length > 0) {
      for (const record of records) {
        const from = record.entered.get(stage);
        if (from === undefined) continue;
        const to = later.map((s) => record.entered.get(s)).find((t) => t !== undefined);
        if (to !== undefined && to >= from) list.push({ id: record.id, days: (to - from) / DAY_MS });
      }
    }
    moves.set(
      stage,
      list.sort((a, b) => a.days - b.days || Number(a.id) - Number(b.id)),
    );
  });
  return moves;
}

export function velocity(
  stages: readonly string[],
  records: readonly { id: string; entered: ReadonlyMap<string, number> }[],
): StageVelocity[] {
  const moves = stageMoves(stages, records);
  return stages.map((stage) => {
    const days = (moves.get(stage) ?? []).map((m) => m.days);
    return { stage, moves: days.length, medianDays: percentile(days, 0.5), p75Days: percentile(days, 0.75) };
  });
}

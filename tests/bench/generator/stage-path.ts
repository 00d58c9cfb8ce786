import type { StagePath, StageVisit } from './plan.ts';
import { HOUR } from './plan.ts';
import type { Rng } from './random.ts';

/**
 * How a record moves through its stages, including the three ways real portals break the policy's
 * stage integrity: a closed-loop stage skipped, a move back to an earlier stage, and a date-entered
 * property earlier than the stage before it (someone back-dated it, or an import set it).
 */
export type StageAnomaly = 'none' | 'skipped' | 'backward' | 'out_of_order';

/** A stage value on a path, with the rank of its closed-loop stage (values of one rank are one stage). */
export type PathStage = { value: string; group: number };

export type ShapedPath = { stages: PathStage[]; backDated?: string };

const ANOMALY_WEIGHTS: readonly (readonly [StageAnomaly, number])[] = [
  ['none', 88],
  ['skipped', 4],
  ['backward', 4],
  ['out_of_order', 4],
];

export const pickAnomaly = (rng: Rng): StageAnomaly => rng.weighted(ANOMALY_WEIGHTS);

const groupsOf = (stages: readonly PathStage[]) => [...new Set(stages.map((s) => s.group))];

export type ShapeRules = {
  /** `backward` never starts from these values (a lost deal: the policy does not order Closed Lost against
   * Proposal or Contract, so a move from it would not be a clear backward move). */
  noBackwardFrom?: readonly string[];
  /** Which closed-loop stages (by rank) the record may skip, given its last value; default: any but the last. */
  skippable?: (group: number, last: PathStage) => boolean;
};

/** Applies an anomaly to a nominal path (chronological). A path too short for the anomaly stays as it is. */
export function shapePath(
  rng: Rng,
  nominal: readonly PathStage[],
  anomaly: StageAnomaly,
  rules: ShapeRules = {},
): ShapedPath {
  const groups = groupsOf(nominal);
  const last = nominal.at(-1);
  if (!last || groups.length < 2) return { stages: [...nominal] };

  switch (anomaly) {
    case 'skipped': {
      // Any closed-loop stage but the current one: the first (the record started late) or one between.
      const candidates = groups.slice(0, -1).filter((g) => rules.skippable?.(g, last) ?? true);
      if (candidates.length === 0) return { stages: [...nominal] };
      const skipped = rng.pick(candidates);
      return { stages: nominal.filter((s) => s.group !== skipped) };
    }
    case 'backward': {
      if (rules.noBackwardFrom?.includes(last.value)) return { stages: [...nominal] };
      const earlier = nominal.filter((s) => s.group < last.group);
      const back = rng.pick(earlier);
      // Sometimes the record moves forward again, so the backward move hides in the history.
      return { stages: rng.chance(0.4) ? [...nominal, back, last] : [...nominal, back] };
    }
    case 'out_of_order': {
      // Back-date the first value of a later closed-loop stage: later values of the same stage would not
      // move the stage's entered-at, which is the earliest of them.
      const group = rng.pick(groups.slice(1));
      const first = nominal.find((s) => s.group === group);
      return { stages: [...nominal], backDated: first?.value };
    }
    case 'none':
      return { stages: [...nominal] };
  }
}

/** Gaps between consecutive stage changes, whole hours in [minHours, maxHours]; the first gap is 0. */
export function stageGaps(rng: Rng, count: number, minHours: number, maxHours: number): number[] {
  const gaps = [0];
  for (let i = 1; i < count; i++) gaps.push(rng.int(minHours, maxHours) * HOUR);
  return gaps;
}

/**
 * Times a shaped path from `start`. A stage's date-entered property is the first time the record held
 * it, as HubSpot keeps it; the back-dated one is set before every earlier stage's date.
 */
export function placePath(rng: Rng, shaped: ShapedPath, gaps: readonly number[], start: number): StagePath {
  const visits: StageVisit[] = [];
  const dateEntered = new Map<string, number>();
  let at = start;
  shaped.stages.forEach((stage, i) => {
    at += gaps[i] ?? 0;
    visits.push({ value: stage.value, at });
    if (!dateEntered.has(stage.value)) dateEntered.set(stage.value, at);
  });
  const backDated = shaped.backDated;
  if (backDated !== undefined && dateEntered.has(backDated)) {
    const earliest = Math.min(...dateEntered.values());
    dateEntered.set(backDated, earliest - rng.int(1, 48) * HOUR);
  }
  return { visits, dateEntered };
}

/**
 * Gaps squeezed proportionally (whole hours, at least one) so the path fits in `room`: a record that
 * started late moved faster, rather than losing its later moves. Unchanged when it already fits.
 */
export function fitGaps(gaps: readonly number[], room: number): number[] {
  const span = gaps.reduce((sum, gap) => sum + gap, 0);
  if (span <= room) return [...gaps];
  const scale = Math.max(0, room) / span;
  return gaps.map((gap, i) => (i === 0 ? 0 : Math.max(HOUR, Math.floor((gap * scale) / HOUR) * HOUR)));
}

/** Drops the stage changes after `limit` (a record has not moved on yet), keeping at least the first. */
export function truncatePath(path: StagePath, limit: number): StagePath {
  const visits = path.visits.filter((v, i) => i === 0 || v.at <= limit);
  const held = new Set(visits.map((v) => v.value));
  const dateEntered = new Map([...path.dateEntered].filter(([value]) => held.has(value)));
  return { visits, dateEntered };
}

import type { WeightKind } from './models/model-weights.ts';

/** Reusable buffers, so splitting a deal's amount allocates nothing per touch. */
export type SplitScratch = { remainders: Float64Array; order: Uint32Array };

export function splitScratch(capacity: number): SplitScratch {
  return { remainders: new Float64Array(capacity), order: new Uint32Array(capacity) };
}

const SAFE = Number.MAX_SAFE_INTEGER;
// While (cents left × touches) stays under this, picking each largest remainder by scanning beats sorting.
const SCAN_BUDGET = 4096;

/**
 * Section 7, money: splits `cents` over `n` weights (shares = weight ÷ sum of weights) into `out`.
 * Each touch gets floor(cents × share); the cents left go one each to the largest fractional
 * remainders, ties to the earlier touch (lower index). The parts are non-negative integers that sum
 * exactly to `cents`.
 *
 * `exact` weights are integer numerators (each a safe integer): floors and remainders are exact
 * integers, in doubles while cents × sum fits in 2^53 and in bigint beyond. `real` weights (time
 * decay) use doubles: x = cents × weight / sum, remainder x − floor(x).
 */
export function splitCentsInto(
  cents: number,
  weights: ArrayLike<number>,
  n: number,
  kind: WeightKind,
  out: Float64Array | number[],
  buffers?: SplitScratch,
): void {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`cents must be a safe integer ≥ 0: ${cents}`);
  const scratch = buffers !== undefined && buffers.remainders.length >= n ? buffers : splitScratch(n);
  const rem = scratch.remainders;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i]!;
  if (!(sum > 0)) throw new RangeError('weights must have a positive sum');

  let given = 0;
  if (kind === 'exact' && sum <= SAFE && cents * sum <= SAFE) {
    for (let i = 0; i < n; i++) {
      const product = cents * weights[i]!;
      const remainder = product % sum;
      out[i] = (product - remainder) / sum;
      rem[i] = remainder;
      given += out[i]!;
    }
  } else if (kind === 'exact') {
    given = splitBig(cents, weights, n, out, scratch);
  } else {
    for (let i = 0; i < n; i++) {
      const share = (cents * weights[i]!) / sum;
      const floor = Math.floor(share);
      out[i] = floor;
      rem[i] = share - floor;
      given += floor;
    }
  }

  let left = cents - given;
  // Doubles can overshoot by a cent on astronomically large amounts; take it back from the smallest remainder.
  while (left < 0) {
    takeBackOne(out, rem, n);
    left++;
  }
  if (left >= n) {
    const rounds = Math.floor(left / n); // only reachable through double rounding; keeps the sum exact
    for (let i = 0; i < n; i++) out[i]! += rounds;
    left -= rounds * n;
  }
  if (left * n <= SCAN_BUDGET) giveByScanning(left, out, rem, n);
  else giveBySorting(left, out, rem, n, scratch.order);
}

/** Convenience for one-off splits (tests, callers off the hot path). */
export function splitCents(cents: number, weights: readonly number[], kind: WeightKind): number[] {
  const out = new Array<number>(weights.length).fill(0);
  splitCentsInto(cents, weights, weights.length, kind, out);
  return out;
}

/** Exact integer split in bigint; remainders are replaced by their rank so the common tail can compare them. */
function splitBig(
  cents: number,
  weights: ArrayLike<number>,
  n: number,
  out: Float64Array | number[],
  scratch: SplitScratch,
): number {
  const total = BigInt(cents);
  let sum = 0n;
  for (let i = 0; i < n; i++) sum += BigInt(weights[i]!);
  const remainders = new Array<bigint>(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const product = total * BigInt(weights[i]!);
    out[i] = Number(product / sum);
    remainders[i] = product % sum;
    given += out[i]!;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    remainders[a]! === remainders[b]! ? a - b : remainders[a]! > remainders[b]! ? -1 : 1,
  );
  order.forEach((index, rank) => (scratch.remainders[index] = n - rank));
  return given;
}

function giveByScanning(left: number, out: Float64Array | number[], rem: Float64Array, n: number): void {
  for (let k = 0; k < left; k++) {
    let best = -1;
    for (let i = 0; i < n; i++) if (rem[i]! >= 0 && (best < 0 || rem[i]! > rem[best]!)) best = i;
    out[best]!++;
    rem[best] = -1; // one cent each
  }
}

function giveBySorting(
  left: number,
  out: Float64Array | number[],
  rem: Float64Array,
  n: number,
  order: Uint32Array,
): void {
  const indices = order.subarray(0, n);
  for (let i = 0; i < n; i++) indices[i] = i;
  indices.sort((a, b) => (rem[a] === rem[b] ? a - b : rem[b]! - rem[a]!));
  for (let k = 0; k < left; k++) out[indices[k]!]!++;
}

/** Mirror of giving: the smallest remainder among touches with a cent, ties to the later touch. */
function takeBackOne(out: Float64Array | number[], rem: Float64Array, n: number): void {
  let worst = -1;
  for (let i = 0; i < n; i++) if (out[i]! > 0 && (worst < 0 || rem[i]! <= rem[worst]!)) worst = i;
  out[worst]!--;
  rem[worst] = Number.POSITIVE_INFINITY;
}

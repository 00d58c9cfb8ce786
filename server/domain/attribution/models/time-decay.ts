import type { Touch } from '../touches.ts';

/**
 * `time_decay`: each touch weighs 2^(−age / half-life), age = M − time, normalised to sum 1 (by the
 * split). Normalising cancels any common factor, so the weight is computed relative to the latest
 * touch, 2^(−(latest − time) / half-life): the same shares, but the latest touch weighs exactly 1, so
 * the sum never underflows to 0 however old the touches or short the half-life. Real numbers (IEEE
 * double): this is the one model whose weights are not rational.
 */
export function timeDecayWeights(touches: readonly Touch[], halfLifeMs: number, out: Float64Array): void {
  const n = touches.length;
  const latest = touches[n - 1]!.time;
  for (let i = 0; i < n; i++) out[i] = 2 ** (-(latest - touches[i]!.time) / halfLifeMs);
}

/** `linear`: equal weights across all `n` touches (numerators 1 over n). */
export function linearWeights(n: number, out: Float64Array): void {
  out.fill(1, 0, n);
}

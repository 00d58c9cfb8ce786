import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roleUnits, splitCents } from '../../../server/domain/attribution/index.ts';

/** An independent reference: exact rationals in bigint, sorted by remainder, ties to the lower index. */
function referenceSplit(cents: bigint, weights: bigint[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  const parts = weights.map((w) => (cents * w) / sum);
  const remainders = weights.map((w) => (cents * w) % sum);
  let left = cents - parts.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((_, i) => i)
    .sort((a, b) => (remainders[a] === remainders[b] ? a - b : remainders[a]! > remainders[b]! ? -1 : 1));
  for (const i of order) {
    if (left === 0n) break;
    parts[i]!++;
    left--;
  }
  return parts.map(Number);
}

describe('splitting cents', () => {
  it('floors, then one cent each to the largest remainders, ties to the earlier', () => {
    // 10 × 1/3 = 3.33 each: 1 left → index 0.
    expect(splitCents(10, [1, 1, 1], 'exact')).toEqual([4, 3, 3]);
    // 10 × (1, 2, 2)/5 = 2, 4, 4 exactly.
    expect(splitCents(10, [1, 2, 2], 'exact')).toEqual([2, 4, 4]);
    // 7 × (1, 1, 5)/7 = 1, 1, 5; 7 × (3, 3)/6 = 3.5 each → 4, 3.
    expect(splitCents(7, [3, 3], 'exact')).toEqual([4, 3]);
    // 5 × (0.2, 0.8) = 1, 4 (real weights, not normalised).
    expect(splitCents(5, [0.5, 2], 'real')).toEqual([1, 4]);
    // 1 cent over four equal touches: the first.
    expect(splitCents(1, [2, 2, 2, 2], 'exact')).toEqual([1, 0, 0, 0]);
    expect(splitCents(0, [1, 1], 'exact')).toEqual([0, 0]);
  });

  it('gives zero-weight touches nothing', () => {
    expect(splitCents(101, [0, 1, 0, 1], 'exact')).toEqual([0, 51, 0, 50]);
  });

  it('refuses weights without a positive sum and cents that are not safe integers', () => {
    expect(() => splitCents(10, [0, 0], 'exact')).toThrow(RangeError);
    expect(() => splitCents(1.5, [1], 'exact')).toThrow(RangeError);
    expect(() => splitCents(-1, [1], 'exact')).toThrow(RangeError);
  });

  it('agrees with exact rational arithmetic for any integer weights, small or huge amounts (bigint path)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
        fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 1, maxLength: 30 }),
        (cents, weights) => {
          fc.pre(weights.some((w) => w > 0));
          expect(splitCents(cents, weights, 'exact')).toEqual(
            referenceSplit(
              BigInt(cents),
              weights.map((w) => BigInt(w)),
            ),
          );
        },
      ),
    );
  });

  it('with real weights: non-negative integers, exact sum, each within one cent of its share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (cents, weights) => {
          const sum = weights.reduce((a, b) => a + b, 0);
          fc.pre(sum > 0);
          const parts = splitCents(cents, weights, 'real');
          expect(parts.reduce((a, b) => a + b, 0)).toBe(cents);
          parts.forEach((part, i) => {
            expect(Number.isInteger(part) && part >= 0).toBe(true);
            expect(Math.abs(part - (cents * weights[i]!) / sum)).toBeLessThanOrEqual(1 + cents * 1e-12);
          });
        },
      ),
    );
  });
});

describe('positional shares as integers', () => {
  it('keeps the ratios of the shares typed, reduced', () => {
    expect(roleUnits({ first: 22.5, lead_creation: 22.5, deal_creation: 22.5, last: 22.5, others: 10 })).toEqual({
      first: 9,
      last: 9,
      lead_creation: 9,
      deal_creation: 9,
      others: 4,
    });
    expect(roleUnits({ first: 40, lead_creation: 40, others: 20 })).toEqual({
      first: 2,
      last: 0,
      lead_creation: 2,
      deal_creation: 0,
      others: 1,
    });
    expect(roleUnits({ first: 33.333, last: 33.333, others: 33.334 })).toEqual({
      first: 33333,
      last: 33333,
      lead_creation: 0,
      deal_creation: 0,
      others: 33334,
    });
  });
});

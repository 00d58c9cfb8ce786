import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amountInCents,
  compareNumericIds,
  lowestNumericId,
  parseHubSpotTime,
} from '../../../server/domain/attribution/index.ts';

describe('amount in cents = round(amount × 100), on the decimal text', () => {
  it.each([
    ['100', 10000],
    ['86400.52', 8640052],
    ['20100.44', 2010044],
    [' 12.3 ', 1230],
    ['+7', 700],
    ['.5', 50],
    ['5.', 500],
    ['1e3', 100000],
    ['1.5E-1', 15],
    // Half a cent rounds up: 1.005 is 100.5 cents exactly (a double would see 100.49999…).
    ['1.005', 101],
    ['0.005', 1],
    ['0.0149', 1],
    ['1.004999', 100],
    ['90071992547409.91', 9007199254740991],
  ] as const)('%j → %d cents', (amount, cents) => {
    expect(amountInCents(amount)).toBe(cents);
  });

  it('reads numbers through their shortest text', () => {
    expect(amountInCents(12.345)).toBe(1235);
    expect(amountInCents(0.1 + 0.2)).toBe(30);
  });

  it.each([
    [''],
    ['   '],
    [null],
    [undefined],
    ['abc'],
    ['1,000'],
    ['€5'],
    ['NaN'],
    ['Infinity'],
    ['1e'],
    ['.'],
    ['-5'],
    ['-0.01'],
    ['0'],
    ['-0'],
    ['0.0049'], // rounds to 0 cents: nothing to credit
    ['90071992547409.92'], // past Number.MAX_SAFE_INTEGER cents
    ['1e400'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
  ])('%j is not a valid amount', (amount) => {
    expect(amountInCents(amount)).toBeUndefined();
  });

  it('agrees with exact rounding of any amount with up to 4 decimals', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.integer({ min: 0, max: 4 }), (units, decimals) => {
        const text = Number(decimals) === 0 ? units.toString() : insertPoint(units.toString(), decimals);
        // Reference: units / 10^decimals × 100, rounded half up, in integers.
        const scale = 10n ** BigInt(decimals);
        const expected = (units * 100n * 2n + scale) / (2n * scale);
        const cents = amountInCents(text);
        if (expected === 0n || expected > BigInt(Number.MAX_SAFE_INTEGER)) expect(cents).toBeUndefined();
        else expect(cents).toBe(Number(expected));
      }),
    );
  });
});

function insertPoint(digits: string, decimals: number): string {
  const padded = digits.padStart(decimals + 1, '0');
  return `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
}

describe('HubSpot times', () => {
  it.each([
    ['2026-11-01T00:00:00.000Z', Date.UTC(2026, 10, 1)],
    ['2026-11-01T10:20:30Z', Date.UTC(2026, 10, 1, 10, 20, 30)],
    ['2026-11-01T10:20:30.123456Z', Date.UTC(2026, 10, 1, 10, 20, 30, 123)],
    ['2026-11-01T10:20', Date.UTC(2026, 10, 1, 10, 20)], // no zone: UTC, not the machine's zone
    ['2026-11-01', Date.UTC(2026, 10, 1)],
    ['2026-11-01T10:00:00+02:00', Date.UTC(2026, 10, 1, 8)],
    ['2026-11-01T10:00:00-0130', Date.UTC(2026, 10, 1, 11, 30)],
    ['1793491200000', 1793491200000],
  ] as const)('%j', (text, instant) => {
    expect(parseHubSpotTime(text)).toBe(instant);
  });

  it.each([
    [''],
    [null],
    [undefined],
    ['2026-02-30'],
    ['2026-13-01'],
    ['2026-11-01T24:00:00Z'],
    ['Nov 1 2026'],
    ['2026-11-01T10:00:00+25:00'],
  ])('%j is not a time', (text) => {
    expect(parseHubSpotTime(text)).toBeUndefined();
  });
});

describe('numeric ids', () => {
  it('compare as numbers, with non-numeric ids after them', () => {
    expect(['1000', '999', '12', 'abc', '0012'].sort(compareNumericIds)).toEqual(['0012', '12', '999', '1000', 'abc']); // equal numbers: plain string order
    expect(lowestNumericId(['1255', '1087'])).toBe('1087');
    expect(lowestNumericId([])).toBeUndefined();
  });
});

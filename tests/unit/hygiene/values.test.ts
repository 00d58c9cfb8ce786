import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSet, parseInstant, parseNumber } from '../../../server/domain/hygiene/index.ts';
import { compareIds, percent } from '../../../server/domain/hygiene/values.ts';

describe('reading HubSpot strings', () => {
  it('treats white space as empty', () => {
    expect([null, undefined, '', ' ', '\t\n'].map(isSet)).toEqual([false, false, false, false, false]);
    expect(isSet(' x ')).toBe(true);
  });

  it('reads plain decimals as numbers and nothing else', () => {
    expect(['59200', '86400.52', ' 12 ', '-3', '.5', '1e3'].map(parseNumber)).toEqual([
      59200, 86400.52, 12, -3, 0.5, 1000,
    ]);
    expect(['', '1,000', '12 EUR', 'NaN', 'Infinity', '0x10', null].map(parseNumber)).toEqual(Array(7).fill(undefined));
  });

  it('reads ISO dates, datetimes (UTC when no zone) and epoch ms', () => {
    expect(parseInstant('2026-11-01')).toBe(Date.UTC(2026, 10, 1));
    expect(parseInstant('2026-11-01T05:06:07.890Z')).toBe(Date.UTC(2026, 10, 1, 5, 6, 7, 890));
    expect(parseInstant('2026-11-01T05:06')).toBe(Date.UTC(2026, 10, 1, 5, 6));
    expect(parseInstant('2026-11-01T05:06:07+02:00')).toBe(Date.UTC(2026, 10, 1, 3, 6, 7));
    expect(parseInstant('2026-11-01T05:06:07+0200')).toBe(Date.UTC(2026, 10, 1, 3, 6, 7));
    expect(parseInstant('1793577600000')).toBe(1793577600000);
  });

  it('refuses what is no date', () => {
    for (const value of ['', 'soon', '2026-02-30', '2026-13-01', '2026-11-01T25:00Z', '01/11/2026', null])
      expect(parseInstant(value)).toBeUndefined();
  });

  it('rounds percentages half up, exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.nat(), (whole, seed) => {
        const part = seed % (whole + 1);
        const exact = (BigInt(200 * part) + BigInt(whole)) / BigInt(2 * whole); // floor(100p/w + 1/2)
        expect(percent(part, whole)).toBe(Number(exact));
      }),
    );
    expect([percent(1, 8), percent(1, 3), percent(2, 3), percent(0, 5), percent(5, 5)]).toEqual([13, 33, 67, 0, 100]);
  });

  it('compares ids as numbers, beyond 2^53 too', () => {
    expect(['1000', '999', '10', '9007199254740993', '9007199254740992'].sort(compareIds)).toEqual([
      '10',
      '999',
      '1000',
      '9007199254740992',
      '9007199254740993',
    ]);
  });
});

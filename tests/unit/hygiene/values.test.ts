import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSet, parseInstant, parseNumber } from '../../../server/domain/hygiene/index.ts';
import { compareIds, formatDay, formatInstant, percent } from '../../../server/domain/hygiene/values.ts';

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

  it("reads HubSpot's own timestamps (the fast path) exactly as any other ISO string", () => {
    const ms = fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }); // years 1 to 9999
    fc.assert(
      fc.property(ms, (at) => {
        const text = new Date(at).toISOString();
        expect(parseInstant(text)).toBe(at);
        // The same instant through the general path (a zone other than Z): the same number.
        expect(parseInstant(text.replace('Z', '+00:00'))).toBe(at);
      }),
    );
    for (const value of [
      '2026-02-29T00:00:00.000Z', // not a leap year
      '2026-11-31T00:00:00.000Z',
      '2026-00-01T00:00:00.000Z',
      '2026-11-01T24:00:00.000Z',
      '2026-11-01T23:60:00.000Z',
      '2026-11-01T23:59:60.000Z',
      '2026-11-01T23:59:5x.000Z',
    ])
      expect(parseInstant(value), value).toBeUndefined();
    expect(parseInstant('2024-02-29T23:59:59.999Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(parseInstant('0050-01-01T00:00:00.000Z')).toBe(new Date('0050-01-01T00:00:00.000Z').getTime());
    expect(parseInstant('2026-11-01T05:06:07+0200')).toBe(Date.UTC(2026, 10, 1, 3, 6, 7)); // 24 characters too
  });

  it('writes instants and days as Date#toISOString does, at any size', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }), (at) => {
        expect(formatInstant(at)).toBe(new Date(at).toISOString());
        expect(formatDay(at)).toBe(new Date(at).toISOString().slice(0, 10));
      }),
    );
    for (const at of [0, 951_782_400_000, 1_709_251_199_999, 253_402_300_799_999, 253_402_300_800_000, -1])
      expect(formatInstant(at)).toBe(new Date(at).toISOString());
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

import { describe, expect, it } from 'vitest';
import { blockIds } from '../../bench/generator/plan-context.ts';
import { iso } from '../../bench/generator/iso-time.ts';
import { createRng } from '../../bench/generator/random.ts';

describe('createRng', () => {
  it('repeats its sequence for the same keys and diverges for nearby keys', () => {
    const draw = (...keys: number[]) => {
      const rng = createRng(...keys);
      return Array.from({ length: 8 }, () => rng.next());
    };
    expect(draw(7, 1, 0)).toEqual(draw(7, 1, 0));
    expect(draw(7, 1, 1)).not.toEqual(draw(7, 1, 0));
    expect(draw(8, 1, 0)).not.toEqual(draw(7, 1, 0));
    expect(draw(2 ** 40 + 7, 1, 0)).not.toEqual(draw(7, 1, 0));
    expect(draw(-7, 1, 0)).not.toEqual(draw(7, 1, 0));
  });

  it('draws floats in [0, 1) and integers over their whole inclusive range, evenly', () => {
    const rng = createRng(1);
    const seen = new Map<number, number>();
    let sum = 0;
    for (let i = 0; i < 60_000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      const n = rng.int(-2, 3);
      seen.set(n, (seen.get(n) ?? 0) + 1);
    }
    expect(sum / 60_000).toBeCloseTo(0.5, 2);
    expect([...seen.keys()].toSorted((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const count of seen.values()) expect(Math.abs(count - 10_000)).toBeLessThan(600);
  });

  it('picks by weight', () => {
    const rng = createRng(2);
    let heavy = 0;
    for (let i = 0; i < 20_000; i++) {
      if (
        rng.weighted([
          ['heavy', 3],
          ['light', 1],
        ]) === 'heavy'
      )
        heavy++;
    }
    expect(heavy / 20_000).toBeCloseTo(0.75, 1);
    expect(() => rng.pick([])).toThrow();
  });
});

describe('iso', () => {
  it('formats exactly as Date#toISOString', () => {
    const rng = createRng(3);
    const samples = [
      0,
      -1,
      1,
      86_399_999,
      86_400_000,
      -62_167_219_200_000,
      253_402_300_799_999,
      Date.parse('2024-02-29T23:59:59.999Z'),
    ];
    for (let i = 0; i < 20_000; i++) samples.push(Math.floor((rng.next() - 0.2) * 4e12));
    for (const t of samples) expect(iso(t)).toBe(new Date(t).toISOString());
  });
});

describe('blockIds', () => {
  it('gives every record of every block its own id, ascending per type', () => {
    const all: number[] = [];
    for (const b of [0, 1]) {
      const ids = blockIds(b);
      for (let j = 0; j < 250; j++) all.push(Number(ids.company(j)));
      for (let i = 0; i < 1000; i++) {
        all.push(
          Number(ids.contact(i)),
          Number(ids.deal(i)),
          Number(ids.deliveryTicket(i)),
          Number(ids.supportTicket(i)),
        );
        for (let k = 0; k < 6; k++) all.push(Number(ids.event(i, k)));
      }
    }
    expect(new Set(all).size).toBe(all.length);
    expect(Number(blockIds(1).company(0))).toBeGreaterThan(Number(blockIds(0).supportTicket(999)));
    expect(Number(blockIds(0).contact(1))).toBeGreaterThan(Number(blockIds(0).deal(0)));
  });
});

/**
 * A seeded PRNG of our own (sfc32), so a fixture is the same bytes on every machine and Node version:
 * Math.random cannot be seeded, and a library's generator could change its sequence in a minor release.
 *
 * Streams are keyed (seed, stream, index): every block of the fixture draws from its own stream, so a
 * block can be planned again, on its own, and come out identical. That is what lets the generator
 * write one section at a time without keeping earlier sections in memory.
 */
export type Rng = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** One of the entries, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
};

/** murmur3's 32-bit finaliser: spreads every input bit over the whole word, so nearby keys diverge. */
function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Folds integer keys (any safe integer, negative too) into one 32-bit hash. */
function hashKeys(keys: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const key of keys) {
    const low = key >>> 0;
    const high = Math.floor(key / 0x1_0000_0000) >>> 0;
    h = fmix32(h ^ low);
    h = fmix32(Math.imul(h, 0x27d4eb2f) ^ high);
  }
  return h;
}

export function createRng(...keys: number[]): Rng {
  const h = hashKeys(keys);
  let a = fmix32(h ^ 0x243f6a88);
  let b = fmix32(h ^ 0x85a308d3);
  let c = fmix32(h ^ 0x13198a2e);
  let d = 1;

  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // sfc32 wants a few rounds before its output is well mixed.
  for (let i = 0; i < 12; i++) nextUint32();

  const next = () => nextUint32() / 0x1_0000_0000;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    weighted: <T>(entries: readonly (readonly [T, number])[]): T => {
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      let r = next() * total;
      for (const [item, weight] of entries) {
        r -= weight;
        if (r < 0) return item;
      }
      const last = entries.at(-1);
      if (!last) throw new Error('weighted pick from an empty list');
      return last[0];
    },
  };
}

/** Stream tags: one per kind of thing drawn, so adding draws to one kind never shifts another's. */
export const STREAM = { companies: 1, contacts: 2, events: 3, deals: 4, spend: 5 } as const;

import { DAY, HOUR } from './plan.ts';

/**
 * `new Date(t).toISOString()`, several times faster: a fixture has about twenty timestamps a contact,
 * and formatting them was the largest single cost of rendering. Days repeat, so their prefix is cached.
 */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();
/** Days a fixture spans are a few thousand at most; the cap keeps odd inputs from growing the cache. */
const MAX_CACHED_DAYS = 20_000;

function dayPrefix(day: number): string {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    if (dayPrefixes.size < MAX_CACHED_DAYS) dayPrefixes.set(day, prefix);
  }
  return prefix;
}

export function iso(t: number): string {
  const day = Math.floor(t / DAY);
  // Years outside 0000–9999 have a longer form; leave those to Date.
  if (!Number.isInteger(t) || t < -62_167_219_200_000 || t >= 253_402_300_800_000) return new Date(t).toISOString();
  let rest = t - day * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  rest -= seconds * 1000;
  return `${dayPrefix(day)}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest]}Z`;
}

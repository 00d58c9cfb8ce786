/**
 * Reading HubSpot's property strings. HubSpot sends every property as a string (or null); the rules
 * of the policy speak of "non-empty", "a number > 0" and "a date", defined here once so every rule
 * family (and attribution, later) reads a value the same way.
 */

/** Non-empty after trimming white space: the policy's meaning of "non-empty" and "set". */
export function isSet(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && value.trim() !== '';
}

// A plain decimal as HubSpot writes numbers ("59200", "86400.52"); no thousands separators, no units.
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The number a property holds, or undefined when it holds none (empty, "1,000", "n/a"…). */
export function parseNumber(value: string | null | undefined): number | undefined {
  const trimmed = (value ?? '').trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : undefined;
}

// ISO 8601 as HubSpot's v3 API writes dates and datetimes; a datetime without a zone is read as UTC
// (never as the machine's local time, which would make the result depend on where it runs).
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
// Epoch milliseconds: how HubSpot's older APIs (and some date properties) write instants.
const EPOCH_MS = /^\d{1,15}$/;

/** The instant (epoch ms) a date or datetime property holds, or undefined when it holds none. */
export function parseInstant(value: string | null | undefined): number | undefined {
  const trimmed = (value ?? '').trim();
  if (EPOCH_MS.test(trimmed)) return Number(trimmed);
  const match = ISO.exec(trimmed);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  // A date that is not on the calendar (2026-02-30) is no date, not the 2nd of March.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  return utc(year, month, day, hour, minute, second, millis) - offsetMs(zone);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear does not.
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number) {
  const at = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return year >= 100 ? at : new Date(at).setUTCFullYear(year);
}

/** The zone's offset from UTC; no zone is UTC. */
function offsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** `now` as epoch ms; a `now` that is no instant is a caller's bug, not a finding. */
export function instantOf(now: Date | string): number {
  const ms = typeof now === 'string' ? parseInstant(now) : now.getTime();
  if (ms === undefined || Number.isNaN(ms)) throw new RangeError(`now is not an instant: ${String(now)}`);
  return ms;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The calendar day (UTC) of an instant, as people read it in a proposed fix: 2026-09-02. */
export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * round-half-up(100 × part ÷ whole) in integers, so 50.5 → 51 exactly and no float error can tip a
 * score; `whole` must be positive.
 */
export function percent(part: number, whole: number): number {
  return Math.floor((200 * part + whole) / (2 * whole));
}

/**
 * Numeric ids compare as numbers ("999" < "1000"), exactly at any size: without leading zeros, a
 * shorter digit string is the smaller number, and equal lengths compare as strings.
 */
export function compareIds(a: string, b: string): number {
  const x = a.length > 1 && a.startsWith('0') ? a.replace(/^0+(?=\d)/, '') : a;
  const y = b.length > 1 && b.startsWith('0') ? b.replace(/^0+(?=\d)/, '') : b;
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

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
  // Most values are HubSpot's own `2026-11-01T05:06:07.890Z`, read millions of times in a portal's
  // evaluation: read those digit by digit, the same as the general path below would.
  // An absent value (a stage's date-entered property, when it was never entered) is the other common
  // case: no instant, without trying the patterns.
  if (value === null || value === undefined || value === '') return undefined;
  if (value.length === 24) {
    const canonical = canonicalInstant(value);
    if (canonical !== NOT_CANONICAL) return canonical;
  }
  const trimmed = value.trim();
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

const NOT_CANONICAL = -1.5; // no instant is a fraction of a millisecond

/** `YYYY-MM-DDTHH:MM:SS.sssZ` read by position, or NOT_CANONICAL for any other shape. */
function canonicalInstant(value: string): number | undefined {
  if (
    value.charCodeAt(4) !== 45 || // -
    value.charCodeAt(7) !== 45 ||
    value.charCodeAt(10) !== 84 || // T
    value.charCodeAt(13) !== 58 || // :
    value.charCodeAt(16) !== 58 ||
    value.charCodeAt(19) !== 46 || // .
    value.charCodeAt(23) !== 90 // Z
  )
    return NOT_CANONICAL;
  // Read two digits at a time (the fields are fixed-width): a loop per field showed in a portal's evaluation.
  const century = twoDigits(value, 0);
  const yearInCentury = twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  const tensOfMillis = twoDigits(value, 20);
  const lastMilli = digit(value, 22);
  if (
    century < 0 ||
    yearInCentury < 0 ||
    month < 0 ||
    day < 0 ||
    hour < 0 ||
    minute < 0 ||
    second < 0 ||
    tensOfMillis < 0 ||
    lastMilli < 0
  )
    return NOT_CANONICAL;
  const year = century * 100 + yearInCentury;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return utc(year, month, day, hour, minute, second, tensOfMillis * 10 + lastMilli);
}

/** The number written by the two ASCII digits from `start`, or -1 when one is not a digit. */
function twoDigits(value: string, start: number): number {
  const tens = value.charCodeAt(start) - 48;
  const ones = value.charCodeAt(start + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/** The ASCII digit at `at`, or -1 when it is not one. */
function digit(value: string, at: number): number {
  const d = value.charCodeAt(at) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// The proleptic Gregorian calendar in integer arithmetic (Howard Hinnant's days_from_civil), for the
// fields the callers have checked: what Date.UTC gives, without its argument conversions (it showed in
// a portal's evaluation), and without its reading of years 0–99 as 1900–1999.
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number) {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146_097 + doe - 719_468;
  return days * DAY_MS + hour * HOUR_MS + minute * 60_000 + second * 1000 + ms;
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
  // Written directly rather than cut from formatInstant: a proposed fix names one or two days.
  if (!isFourDigitYear(ms)) return new Date(ms).toISOString().slice(0, 10);
  return dayOf(Math.floor(ms / DAY_MS));
}

// Years 1970 to 9999, where toISOString writes four-digit years; outside, toISOString itself.
const LAST_FOUR_DIGIT_MS = 253_402_300_800_000;

function isFourDigitYear(ms: number): boolean {
  return ms >= 0 && ms < LAST_FOUR_DIGIT_MS && Number.isInteger(ms);
}

/** As `Date#toISOString` (which is slow enough to show in a portal's evaluation). */
export function formatInstant(ms: number): string {
  if (!isFourDigitYear(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  const inDay = ms - days * DAY_MS;
  const hour = Math.floor(inDay / HOUR_MS);
  const minute = Math.floor((inDay % HOUR_MS) / 60_000);
  const second = Math.floor((inDay % 60_000) / 1000);
  return `${dayOf(days)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.` + `${String(inDay % 1000).padStart(3, '0')}Z`;
}

/** `YYYY-MM-DD` of a count of days since 1970-01-01 (Howard Hinnant's days_from_civil, inverted). */
function dayOf(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

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

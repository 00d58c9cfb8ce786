/**
 * Times as HubSpot sends them, read the same way on every machine. Attribution compares instants in
 * milliseconds since the epoch (UTC); a day is exactly 86,400,000 ms, so lookbacks and half-lives do
 * not drift with daylight saving.
 */
export const DAY_MS = 86_400_000;

// ISO 8601 as HubSpot writes it (`2026-05-01T12:00:00.000Z`), also date-only, offsets and up to 9
// fraction digits. Parsed by hand: Date.parse reads a zone-less date-time as *local* time and leaves
// other variants to the engine, which would make the same data give different credits.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;
// HubSpot also sends instants as epoch milliseconds (history timestamps, some APIs).
const EPOCH_MS = /^-?\d{1,16}$/;

/** The instant of a HubSpot date or date-time value, or undefined when it is empty or not a date. */
export function parseHubSpotTime(value: string | null | undefined): number | undefined {
  const text = (value ?? '').trim();
  if (text === '') return undefined;
  if (EPOCH_MS.test(text)) return Number(text);
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((part) =>
    Number(part ?? 0),
  );
  const millis = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  if (month! < 1 || month! > 12 || hour! > 23 || minute! > 59 || second! > 59) return undefined;
  const utc = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!, millis);
  // Date.UTC rolls 31 April over to 1 May; a calendar date that moved was not a date.
  if (new Date(Date.UTC(year!, month! - 1, day!)).getUTCDate() !== day) return undefined;
  if (m[9] === undefined) return utc; // `Z`, or no zone: HubSpot's values are UTC
  const offset = (Number(m[10]) * 60 + Number(m[11])) * 60_000;
  if (Number(m[10]) > 23 || Number(m[11]) > 59) return undefined;
  return m[9] === '+' ? utc - offset : utc + offset;
}

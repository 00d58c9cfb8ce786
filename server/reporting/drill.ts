import type { HubSpotObjectType } from '../domain/policy/primitives.ts';
import { hubspotRecordUrl } from './filters.ts';

/**
 * The records behind one figure of a report (its drill-down): each with its link into HubSpot and the
 * values that make it count (a deal's credit, a ticket's reason…). A count drills to exactly that many
 * records; a sum (cents) to records whose `sum.column` adds up to it; a share to its base or to the
 * records it counts (`measure=base|counted`), so both sides of the ratio can be checked.
 */
export type DrillRecord = {
  objectType: HubSpotObjectType;
  id: number;
  url: string;
  values: Record<string, string | number | boolean | null>;
};
export type Drill = {
  /** What the records are, in words (the page's heading). */
  figure: string;
  columns: string[];
  records: DrillRecord[];
  /** For a figure that is a sum: the column summed, and the total (equal to the figure). */
  sum?: { column: string; value: number };
};

export function drillRecord(
  portalId: number,
  objectType: HubSpotObjectType,
  id: number | string,
  values: DrillRecord['values'] = {},
): DrillRecord {
  return { objectType, id: Number(id), url: hubspotRecordUrl(portalId, objectType, id), values };
}

/** How a drill-down names "no lead channel" (a null in the report) in a query string. */
export const NO_CHANNEL = '(none)';

/** A channel as a drill-down's query names it: `(none)` for null. */
export function channelParam(channel: string | null): string {
  return channel ?? NO_CHANNEL;
}

/** The SQL parameter pair for a channel cell: [given?, value] (value null for `(none)`). */
export function channelCell(channel: string | undefined): [boolean, string | null] {
  if (channel === undefined) return [false, null];
  return [true, channel === NO_CHANNEL ? null : channel];
}

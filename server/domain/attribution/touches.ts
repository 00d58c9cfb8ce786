import { z } from 'zod';
import type { ChannelTaxonomy, RecordProperties } from '../policy/index.ts';
import { parseHubSpotTime } from './time.ts';
import { channelOfTouch } from './touch-channel.ts';

/**
 * Section 7, touches: one marketing interaction of one contact, with a time, a channel (section 3)
 * and, where known, a campaign, offer and content id. Three sources, each with its own ids: HubSpot
 * events (the event id), the ingest API (the client's id) and the derived original-source touch
 * (`derived-<contactId>`).
 */
export const TouchSource = z.enum(['hubspot_event', 'ingest', 'derived']);
export type TouchSource = z.output<typeof TouchSource>;

export const Touch = z.strictObject({
  id: z.string().min(1),
  contactId: z.string().min(1),
  /** Milliseconds since the epoch (UTC). */
  time: z.number().int(),
  channel: z.string().min(1),
  /** False for a touch no channel rule applied to (section 3, rule 4). */
  trackable: z.boolean(),
  campaignId: z.string().nullable(),
  offerId: z.string().nullable(),
  contentId: z.string().nullable(),
  source: TouchSource,
});
export type Touch = z.output<typeof Touch>;

/** Touches are ordered by time, ties by id in plain string order (UTF-16 code units, not locale). */
export function compareTouches(a: Touch, b: Touch): number {
  if (a.time !== b.time) return a.time - b.time;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A sorted copy; the input is left as it is. */
export function sortTouches(touches: readonly Touch[]): Touch[] {
  return [...touches].sort(compareTouches);
}

/** A HubSpot event as the events API (and the demo fixture) gives it. */
export const HubSpotEvent = z.object({
  id: z.string().min(1),
  eventType: z.string(),
  /** `contacts` for the events attribution reads; events of other objects make no touch. */
  objectType: z.string().optional(),
  objectId: z.string().min(1),
  occurredAt: z.string(),
  properties: z.record(z.string(), z.string().nullish()).default({}),
});
export type HubSpotEvent = z.input<typeof HubSpotEvent>;

/** A touch received by the ingest API. It names its contact by id or by email (matched by the caller). */
export const IngestTouch = z.object({
  id: z.string().min(1),
  contactId: z.string().nullish(),
  contactEmail: z.string().nullish(),
  occurredAt: z.string(),
  channel: z.string().nullish(),
  utmMedium: z.string().nullish(),
  campaignId: z.string().nullish(),
  offerId: z.string().nullish(),
  contentId: z.string().nullish(),
});
export type IngestTouch = z.input<typeof IngestTouch>;

/** A contact as attribution reads it: HubSpot's id and property strings. */
export type ContactRecord = { id: string; properties: RecordProperties };

// HubSpot's own property names on page-view and form events (not policy: HubSpot defines them).
const UTM_MEDIUM = 'hs_utm_medium';
const UTM_CAMPAIGN = 'hs_utm_campaign';
const UTM_CONTENT = 'hs_utm_content';
const CONTACT_OBJECT_TYPES = new Set(['contacts', 'contact', '0-1']);

/** Whether an event is a contact's (an event without an object type is taken to be one). */
export function isContactEvent(event: HubSpotEvent): boolean {
  return event.objectType === undefined || CONTACT_OBJECT_TYPES.has(event.objectType);
}

/** A contact's touch from one of its HubSpot events; undefined for another object's event or a bad time. */
export function touchFromHubSpotEvent(event: HubSpotEvent, taxonomy: ChannelTaxonomy): Touch | undefined {
  if (!isContactEvent(event)) return undefined;
  const time = parseHubSpotTime(event.occurredAt);
  if (time === undefined || event.id === '' || event.objectId === '') return undefined;
  const properties = event.properties ?? {};
  return {
    id: event.id,
    contactId: event.objectId,
    time,
    ...channelOfTouch(taxonomy, { utmMedium: properties[UTM_MEDIUM] }),
    campaignId: known(properties[UTM_CAMPAIGN]),
    offerId: null,
    contentId: known(properties[UTM_CONTENT]),
    source: 'hubspot_event',
  };
}

/** An ingested touch of the contact it was matched to (see ingest-matching.ts); undefined for a bad time. */
export function touchFromIngest(touch: IngestTouch, contactId: string, taxonomy: ChannelTaxonomy): Touch | undefined {
  const time = parseHubSpotTime(touch.occurredAt);
  if (time === undefined || touch.id === '') return undefined;
  return {
    id: touch.id,
    contactId,
    time,
    ...channelOfTouch(taxonomy, { namedChannel: touch.channel, utmMedium: touch.utmMedium }),
    campaignId: known(touch.campaignId),
    offerId: known(touch.offerId),
    contentId: known(touch.contentId),
    source: 'ingest',
  };
}

/** The id of the demo fixture's n-th ingest touch (section 7: `ingest-<index>`, from 0). */
export function fixtureIngestTouchId(index: number): string {
  return `ingest-${index}`;
}

/**
 * Section 7, the derived original-source touch: only for a contact with no touch from HubSpot events
 * or the ingest API (`ownTouchCount` 0) and a non-empty original source; at its `createdate`, with the
 * channel of section 3 rule 3. Undefined otherwise (also when `createdate` is not a date).
 */
export function derivedOriginalSourceTouch(
  contact: ContactRecord,
  ownTouchCount: number,
  taxonomy: ChannelTaxonomy,
): Touch | undefined {
  if (ownTouchCount > 0) return undefined;
  const source = contact.properties[taxonomy.analyticsSource.property];
  if (source === null || source === undefined || source.trim() === '') return undefined;
  const time = parseHubSpotTime(contact.properties['createdate']);
  if (time === undefined) return undefined;
  return {
    id: `derived-${contact.id}`,
    contactId: contact.id,
    time,
    ...channelOfTouch(taxonomy, { analyticsSource: source }),
    campaignId: null,
    offerId: null,
    contentId: null,
    source: 'derived',
  };
}

/** "Where known": an id that is absent or only white space is not known. */
function known(value: string | null | undefined): string | null {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

import { describe, expect, it } from 'vitest';
import {
  compareTouches,
  derivedOriginalSourceTouch,
  fixtureIngestTouchId,
  ingestContactMatcher,
  sortTouches,
  Touch,
  touchesOfContacts,
  touchFromHubSpotEvent,
  touchFromIngest,
} from '../../../server/domain/attribution/index.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/index.ts';
import { touch } from './scenario.ts';

const D = DEFAULT_DEFINITIONS;
const T = Date.UTC(2026, 2, 1, 10);

describe('touch from a HubSpot event', () => {
  it('takes the event id, contact, time, medium channel, campaign and content', () => {
    const made = touchFromHubSpotEvent(
      {
        id: 'ev-1042',
        eventType: 'e_submitted_form',
        objectType: 'contacts',
        objectId: '1040',
        occurredAt: '2025-08-13T05:28:28.786Z',
        properties: {
          hs_url: 'https://www.example.com/contact',
          hs_utm_medium: 'partner',
          hs_utm_campaign: ' data-summit ',
          hs_utm_content: 'case-study',
        },
      },
      D.channels,
    );
    expect(made).toEqual({
      id: 'ev-1042',
      contactId: '1040',
      time: Date.UTC(2025, 7, 13, 5, 28, 28, 786),
      channel: 'partner',
      trackable: true,
      campaignId: 'data-summit',
      offerId: null,
      contentId: 'case-study',
      source: 'hubspot_event',
    });
    expect(Touch.parse(made)).toEqual(made);
  });

  it('makes no touch from another object’s event or an event without a valid time', () => {
    const base = { id: 'e', eventType: 'e_visited_page', objectId: '1', occurredAt: '2026-01-01T00:00:00Z' };
    expect(touchFromHubSpotEvent({ ...base, objectType: 'deals' }, D.channels)).toBeUndefined();
    expect(touchFromHubSpotEvent({ ...base, occurredAt: 'yesterday' }, D.channels)).toBeUndefined();
    expect(touchFromHubSpotEvent({ ...base, properties: { hs_utm_campaign: '  ' } }, D.channels)).toMatchObject({
      campaignId: null,
      contentId: null,
    });
  });
});

describe('touch from the ingest API', () => {
  it('keeps the client’s id and ids, on the matched contact', () => {
    expect(
      touchFromIngest(
        {
          id: fixtureIngestTouchId(3),
          contactEmail: 'x@example.com',
          occurredAt: '2026-06-19T12:00:00.000Z',
          channel: 'partner',
          campaignId: 'CMP-FIELD-EVENT',
          offerId: 'OFF-BOOTH',
          contentId: null,
        },
        '1308',
        D.channels,
      ),
    ).toEqual({
      id: 'ingest-3',
      contactId: '1308',
      time: Date.UTC(2026, 5, 19, 12),
      channel: 'partner',
      trackable: true,
      campaignId: 'CMP-FIELD-EVENT',
      offerId: 'OFF-BOOTH',
      contentId: null,
      source: 'ingest',
    });
  });
});

describe('the derived original-source touch', () => {
  const contact = { id: '77', properties: { createdate: '2026-03-01T10:00:00.000Z', hs_analytics_source: 'OFFLINE' } };

  it('sits at the contact’s createdate with id derived-<contactId>', () => {
    expect(derivedOriginalSourceTouch(contact, 0, D.channels)).toEqual({
      id: 'derived-77',
      contactId: '77',
      time: T,
      channel: 'outbound',
      trackable: true,
      campaignId: null,
      offerId: null,
      contentId: null,
      source: 'derived',
    });
  });

  it('exists only for a contact with no other touch, a non-empty source and a createdate', () => {
    expect(derivedOriginalSourceTouch(contact, 1, D.channels)).toBeUndefined();
    for (const hs_analytics_source of ['', '  ', null, undefined])
      expect(
        derivedOriginalSourceTouch(
          { id: '1', properties: { ...contact.properties, hs_analytics_source } },
          0,
          D.channels,
        ),
      ).toBeUndefined();
    expect(
      derivedOriginalSourceTouch({ id: '1', properties: { hs_analytics_source: 'OFFLINE' } }, 0, D.channels),
    ).toBeUndefined();
  });
});

describe('order', () => {
  it('is by time, then by id in plain string order (code units, not locale or numbers)', () => {
    const touches = [
      touch('ev-9', '1', T),
      touch('b', '1', T - 1),
      touch('ev-10', '1', T),
      touch('B', '1', T),
      touch('a', '1', T + 1),
    ];
    expect(sortTouches(touches).map((t) => t.id)).toEqual(['b', 'B', 'ev-10', 'ev-9', 'a']);
    expect(touches[0]!.id).toBe('ev-9'); // the input is not reordered
    expect(compareTouches(touches[0]!, touches[0]!)).toBe(0);
  });
});

describe('matching an ingested touch to its contact', () => {
  const contacts = [
    { id: '1255', properties: { email: 'gus.tanaka14@umbrella0.example.com' } },
    { id: '1087', properties: { email: ' Gus.Tanaka14@umbrella0.example.com' } },
    { id: '1000', properties: { email: 'same@example.com' } },
    { id: '999', properties: { email: 'SAME@example.com' } },
    { id: '5', properties: { email: '' } },
  ];
  const match = ingestContactMatcher(contacts, D);

  it('by contact id when it names a known contact', () => {
    expect(match({ contactId: '1255', contactEmail: 'same@example.com' })).toBe('1255');
  });

  it('else by email, trimmed and lower-cased, to the survivor: the lowest numeric id', () => {
    expect(match({ contactEmail: '  GUS.TANAKA14@UMBRELLA0.EXAMPLE.COM ' })).toBe('1087');
    expect(match({ contactEmail: 'same@example.com' })).toBe('999'); // 999 < 1000 as numbers
    expect(match({ contactId: '424242', contactEmail: 'Same@Example.com' })).toBe('999');
  });

  it('matches nothing for an unknown or empty address', () => {
    expect(match({ contactEmail: 'nobody@example.com' })).toBeUndefined();
    expect(match({ contactEmail: '  ' })).toBeUndefined();
    expect(match({})).toBeUndefined();
  });
});

describe('every contact’s touches from the three sources', () => {
  it('adds events and matched ingest touches, derives only for touchless contacts, and orders each list', () => {
    const result = touchesOfContacts(
      {
        contacts: [
          {
            id: '1',
            properties: { email: 'a@x.com', createdate: '2026-01-05T00:00:00Z', hs_analytics_source: 'PAID_SEARCH' },
          },
          {
            id: '2',
            properties: { email: 'b@x.com', createdate: '2026-01-06T00:00:00Z', hs_analytics_source: 'REFERRALS' },
          },
          {
            id: '3',
            properties: {
              email: 'c@x.com',
              createdate: '2026-01-07T00:00:00Z',
              hs_analytics_source: 'EMAIL_MARKETING',
            },
          },
          { id: '4', properties: { email: 'd@x.com', createdate: '2026-01-08T00:00:00Z', hs_analytics_source: '' } },
        ],
        events: [
          {
            id: 'ev-2',
            eventType: 'e_visited_page',
            objectType: 'contacts',
            objectId: '1',
            occurredAt: '2026-01-03T00:00:00Z',
            properties: {},
          },
          {
            id: 'ev-1',
            eventType: 'e_visited_page',
            objectType: 'contacts',
            objectId: '1',
            occurredAt: '2026-01-03T00:00:00Z',
            properties: { hs_utm_medium: 'cpc' },
          },
          {
            id: 'ev-bad',
            eventType: 'e_visited_page',
            objectType: 'contacts',
            objectId: '1',
            occurredAt: 'not a date',
            properties: {},
          },
        ],
        ingest: [
          { id: 'ingest-0', contactEmail: ' B@X.COM', occurredAt: '2026-01-01T00:00:00Z', channel: 'events' },
          { id: 'ingest-1', contactEmail: 'z@x.com', occurredAt: '2026-01-01T00:00:00Z', channel: 'events' },
        ],
      },
      D,
    );
    const ids = Object.fromEntries(
      [...result.byContact].map(([id, list]) => [id, list.map((t) => `${t.id}:${t.channel}`)]),
    );
    expect(ids).toEqual({
      '1': ['ev-1:paid_search', 'ev-2:other'],
      '2': ['ingest-0:events'],
      '3': ['derived-3:email'],
    });
    expect(result.unmatchedIngest).toEqual(['ingest-1']);
    expect(result.invalidTime).toEqual(['ev-bad']);
  });
});

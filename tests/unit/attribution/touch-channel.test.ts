import { describe, expect, it } from 'vitest';
import {
  channelOfTouch,
  derivedOriginalSourceTouch,
  touchFromHubSpotEvent,
  touchFromIngest,
} from '../../../server/domain/attribution/index.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/index.ts';

const taxonomy = DEFAULT_DEFINITIONS.channels;

/** Section 3, rule 2, transcribed from the specification (not from the definitions). */
const MEDIUMS: [string, string][] = [
  ['cpc', 'paid_search'],
  ['ppc', 'paid_search'],
  ['paid_search', 'paid_search'],
  ['paid_social', 'paid_social'],
  ['social_paid', 'paid_social'],
  ['paidsocial', 'paid_social'],
  ['email', 'email'],
  ['newsletter', 'email'],
  ['referral', 'referral'],
  ['partner', 'partner'],
  ['event', 'events'],
  ['events', 'events'],
  ['webinar', 'events'],
  ['social', 'organic_social'],
  ['organic_social', 'organic_social'],
  ['organic', 'organic_search'],
  ['outbound', 'outbound'],
  ['sdr', 'outbound'],
];

/** Section 3, rule 3. */
const SOURCES: [string, string][] = [
  ['ORGANIC_SEARCH', 'organic_search'],
  ['PAID_SEARCH', 'paid_search'],
  ['EMAIL_MARKETING', 'email'],
  ['SOCIAL_MEDIA', 'organic_social'],
  ['PAID_SOCIAL', 'paid_social'],
  ['REFERRALS', 'referral'],
  ['DIRECT_TRAFFIC', 'direct'],
  ['OFFLINE', 'outbound'],
];

const variants = (medium: string) => [medium, medium.toUpperCase(), ` ${medium}\t`, `\n${capitalise(medium)}  `];
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const event = (medium: string | null | undefined) => ({
  id: 'ev-1',
  eventType: 'e_visited_page',
  objectType: 'contacts',
  objectId: '1',
  occurredAt: '2026-01-01T00:00:00.000Z',
  properties: medium === undefined ? {} : { hs_utm_medium: medium },
});

describe('rule 2: the UTM medium of a HubSpot event, trimmed and lower-cased', () => {
  it.each(MEDIUMS)('%s → %s, whatever its case and surrounding white space', (medium, channel) => {
    for (const written of variants(medium))
      expect(touchFromHubSpotEvent(event(written), taxonomy)).toMatchObject({ channel, trackable: true });
  });

  it.each(['display', 'tv', 'DISPLAY', 'cpc-brand', 'e mail', 'constructor', '__proto__'])(
    'any other non-empty medium (%j) → other, trackable',
    (medium) => {
      expect(touchFromHubSpotEvent(event(medium), taxonomy)).toMatchObject({ channel: 'other', trackable: true });
    },
  );

  it.each([[''], ['   '], ['\t\n'], [null], [undefined]])(
    'no medium (%j): rule 4, untrackable → other, counted as untrackable',
    (medium) => {
      expect(touchFromHubSpotEvent(event(medium), taxonomy)).toMatchObject({ channel: 'other', trackable: false });
    },
  );
});

describe('rule 3: hs_analytics_source, for the derived original-source touch only', () => {
  const contact = (source: string) => ({
    id: '42',
    properties: { createdate: '2026-03-01T10:00:00.000Z', hs_analytics_source: source },
  });

  it.each(SOURCES)('%s → %s', (source, channel) => {
    expect(derivedOriginalSourceTouch(contact(source), 0, taxonomy)).toMatchObject({ channel, trackable: true });
  });

  it.each(['OTHER_CAMPAIGNS', 'AI_REFERRALS', 'organic_search', ' ORGANIC_SEARCH'])(
    'any other value (%j, compared exactly) → other, trackable',
    (source) => {
      expect(derivedOriginalSourceTouch(contact(source), 0, taxonomy)).toMatchObject({
        channel: 'other',
        trackable: true,
      });
    },
  );

  it('is not consulted for a HubSpot event or an ingested touch', () => {
    expect(channelOfTouch(taxonomy, { utmMedium: '', analyticsSource: undefined })).toEqual({
      channel: 'other',
      trackable: false,
    });
    const withSource = { ...event(undefined), properties: { hs_analytics_source: 'PAID_SEARCH' } };
    expect(touchFromHubSpotEvent(withSource, taxonomy)).toMatchObject({ channel: 'other', trackable: false });
  });
});

describe('rule 1 and precedence', () => {
  const ingest = (channel: string | null, utmMedium?: string) => ({
    id: 'in-1',
    occurredAt: '2026-01-01T00:00:00Z',
    channel,
    utmMedium,
  });

  it('a touch that names its channel keeps it, before its medium', () => {
    expect(touchFromIngest(ingest('partner', 'cpc'), '1', taxonomy)).toMatchObject({
      channel: 'partner',
      trackable: true,
    });
    expect(channelOfTouch(taxonomy, { namedChannel: 'events', utmMedium: 'cpc', analyticsSource: 'OFFLINE' })).toEqual({
      channel: 'events',
      trackable: true,
    });
  });

  it('an empty named channel falls through to the medium, then to untrackable', () => {
    expect(touchFromIngest(ingest('  ', 'Newsletter'), '1', taxonomy)).toMatchObject({ channel: 'email' });
    expect(touchFromIngest(ingest(null), '1', taxonomy)).toMatchObject({ channel: 'other', trackable: false });
  });

  it('the medium comes before the original source', () => {
    expect(channelOfTouch(taxonomy, { utmMedium: 'sdr', analyticsSource: 'PAID_SEARCH' })).toEqual({
      channel: 'outbound',
      trackable: true,
    });
  });

  it('follows the definitions: a remapped medium and untrackable channel', () => {
    const custom = {
      ...taxonomy,
      utmMedium: { map: { ...taxonomy.utmMedium.map, display: 'paid_social' }, otherwise: 'referral' },
      untrackable: 'direct',
    };
    expect(channelOfTouch(custom, { utmMedium: 'DISPLAY' }).channel).toBe('paid_social');
    expect(channelOfTouch(custom, { utmMedium: 'tv' }).channel).toBe('referral');
    expect(channelOfTouch(custom, {})).toEqual({ channel: 'direct', trackable: false });
  });
});

import { z } from 'zod';
import { ExternalValue, PropertyName, Slug } from './primitives.ts';
import { reportProblems, type Problem } from './problems.ts';

/**
 * Section 3, the channel of a touch: a touch that names its channel keeps it; else its UTM medium
 * (trimmed, lower-cased) through `utmMedium`; else, for the derived original-source touch only,
 * HubSpot's `hs_analytics_source` through `analyticsSource`; else the touch is untrackable and gets
 * `untrackable` (and counts against Trackable Touch %). Channels are options of `picklist`.
 */

const MediumMap = z.record(z.string(), ExternalValue);

export const ChannelTaxonomy = z
  .strictObject({
    /** The governed picklist whose options are the channels. */
    picklist: Slug,
    utmMedium: z.strictObject({
      /** Medium (already trimmed and lower-cased, as it is compared) → channel. */
      map: MediumMap,
      /** The channel of any other non-empty medium. */
      otherwise: ExternalValue,
    }),
    analyticsSource: z.strictObject({
      /** The contact property read for the derived original-source touch. */
      property: PropertyName,
      /** HubSpot's source value (compared exactly) → channel. */
      map: MediumMap,
      /** The channel of any other non-empty value. */
      otherwise: ExternalValue,
    }),
    /** The channel of a touch with neither a channel, a medium nor (where it applies) a source. */
    untrackable: ExternalValue,
  })
  .superRefine((taxonomy, ctx) => reportProblems(mediumKeyProblems(taxonomy.utmMedium.map), ctx));
export type ChannelTaxonomy = z.output<typeof ChannelTaxonomy>;

function mediumKeyProblems(map: Record<string, string>): Problem[] {
  return Object.keys(map)
    .filter((medium) => medium === '' || medium !== medium.trim().toLowerCase())
    .map((medium) => ({
      path: ['utmMedium', 'map', medium],
      message:
        medium === ''
          ? 'an empty medium is untrackable, not a medium'
          : `mediums are compared trimmed and lower-cased, so write "${medium.trim().toLowerCase()}"`,
    }));
}

/** Every channel the taxonomy can produce, for checking them against the channel picklist. */
export function channelsNamedBy(taxonomy: ChannelTaxonomy): { path: (string | number)[]; channel: string }[] {
  return [
    ...Object.entries(taxonomy.utmMedium.map).map(([medium, channel]) => ({
      path: ['utmMedium', 'map', medium],
      channel,
    })),
    { path: ['utmMedium', 'otherwise'], channel: taxonomy.utmMedium.otherwise },
    ...Object.entries(taxonomy.analyticsSource.map).map(([source, channel]) => ({
      path: ['analyticsSource', 'map', source],
      channel,
    })),
    { path: ['analyticsSource', 'otherwise'], channel: taxonomy.analyticsSource.otherwise },
    { path: ['untrackable'], channel: taxonomy.untrackable },
  ];
}

/** Rule 2: the channel of a UTM medium, or undefined when the medium is empty (fall through to rule 3). */
export function channelOfUtmMedium(taxonomy: ChannelTaxonomy, medium: string | null | undefined): string | undefined {
  const normalised = (medium ?? '').trim().toLowerCase();
  if (normalised === '') return undefined;
  return Object.hasOwn(taxonomy.utmMedium.map, normalised)
    ? taxonomy.utmMedium.map[normalised]
    : taxonomy.utmMedium.otherwise;
}

/** Rule 3: the channel of an `hs_analytics_source` value, or undefined when it is empty (untrackable). */
export function channelOfAnalyticsSource(
  taxonomy: ChannelTaxonomy,
  source: string | null | undefined,
): string | undefined {
  if (source === null || source === undefined || source.trim() === '') return undefined;
  return Object.hasOwn(taxonomy.analyticsSource.map, source)
    ? taxonomy.analyticsSource.map[source]
    : taxonomy.analyticsSource.otherwise;
}

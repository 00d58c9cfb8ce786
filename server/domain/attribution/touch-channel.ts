import { channelOfAnalyticsSource, channelOfUtmMedium, type ChannelTaxonomy } from '../policy/index.ts';

/** What a touch tells about where it came from; each source fills in what it has. */
export type ChannelEvidence = {
  /** Rule 1: the channel a touch names (the ingest API). */
  namedChannel?: string | null | undefined;
  /** Rule 2: its UTM medium. */
  utmMedium?: string | null | undefined;
  /** Rule 3: `hs_analytics_source`, given only for the derived original-source touch. */
  analyticsSource?: string | null | undefined;
};

export type TouchChannel = { channel: string; trackable: boolean };

/**
 * Section 3, the channel of a touch, rules 1–4 in order, with the mappings of the definitions. A touch
 * no rule applies to is untrackable: it gets the taxonomy's `untrackable` channel (`other` in version
 * 1) and `trackable: false`, so it counts against Trackable Touch %.
 */
export function channelOfTouch(taxonomy: ChannelTaxonomy, evidence: ChannelEvidence): TouchChannel {
  const named = (evidence.namedChannel ?? '').trim();
  if (named !== '') return { channel: named, trackable: true };
  const fromMedium = channelOfUtmMedium(taxonomy, evidence.utmMedium);
  if (fromMedium !== undefined) return { channel: fromMedium, trackable: true };
  const fromSource = channelOfAnalyticsSource(taxonomy, evidence.analyticsSource);
  if (fromSource !== undefined) return { channel: fromSource, trackable: true };
  return { channel: taxonomy.untrackable, trackable: false };
}

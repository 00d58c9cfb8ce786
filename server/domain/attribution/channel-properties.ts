import type { CrmObject, Definitions } from '../policy/index.ts';
import { creditedMoment, dealTouches, WON_STAGE, type ContactIndex, type DealForAttribution } from './deal-touches.ts';
import { lowestNumericId } from './numeric-ids.ts';
import { compareTouches, type Touch } from './touches.ts';

/** Section 8's channel properties (their names are the specification's; the definitions say where they apply). */
export const FIRST_TOUCH_CHANNEL = 'clr_first_touch_channel';
export const LAST_TOUCH_CHANNEL = 'clr_last_touch_channel';
export const LEAD_CHANNEL = 'clr_lead_channel';
export type ChannelPropertyName = typeof FIRST_TOUCH_CHANNEL | typeof LAST_TOUCH_CHANNEL | typeof LEAD_CHANNEL;

/**
 * Values to write back. A property is absent when its computed value is empty (section 8: not
 * written) or when the definitions do not write it back on that object.
 */
export type ChannelProperties = Partial<Record<ChannelPropertyName, string>>;

type PropertiesPolicy = Pick<Definitions, 'properties'>;

/** Contact: the channels of its earliest and latest touch at or before `now` (all its touches, no lookback). */
export function contactChannelProperties(
  touches: readonly Touch[],
  now: number,
  definitions: PropertiesPolicy,
): ChannelProperties {
  let earliest: Touch | undefined;
  let latest: Touch | undefined;
  for (const touch of touches) {
    if (touch.time > now) continue;
    if (earliest === undefined || compareTouches(touch, earliest) < 0) earliest = touch;
    if (latest === undefined || compareTouches(touch, latest) > 0) latest = touch;
  }
  return written(definitions, 'contact', {
    [FIRST_TOUCH_CHANNEL]: earliest?.channel,
    [LAST_TOUCH_CHANNEL]: latest?.channel,
  });
}

/**
 * Deal: first = the first pipeline-credit touch (M = `createdate`); last = the last revenue-credit
 * touch (M = `closedate`) for a won deal, else the last deal touch with M = `now`; lead = first. Deal
 * touches exist only for deals in scope; a missing amount does not matter here (the touches, not
 * the money, name the channel). A won deal without a `closedate` has no revenue moment, so it takes M = now.
 */
export function dealChannelProperties(
  deal: DealForAttribution,
  contacts: ContactIndex,
  now: number,
  definitions: PropertiesPolicy & Pick<Definitions, 'attribution'>,
): ChannelProperties {
  if (!deal.inScope) return {};
  const { lookbackDays } = definitions.attribution;
  const touchesAt = (moment: number) => dealTouches(deal.contactIds, contacts, moment, lookbackDays);
  const pipelineMoment = creditedMoment(deal, 'pipeline');
  const first = pipelineMoment === undefined ? undefined : touchesAt(pipelineMoment)[0];
  const revenueMoment = creditedMoment(deal, 'revenue');
  const lastMoment = deal.stage === WON_STAGE && revenueMoment !== undefined ? revenueMoment : now;
  const last = touchesAt(lastMoment).at(-1);
  return written(definitions, 'deal', {
    [FIRST_TOUCH_CHANNEL]: first?.channel,
    [LAST_TOUCH_CHANNEL]: last?.channel,
    [LEAD_CHANNEL]: first?.channel,
  });
}

/**
 * Ticket: the lead channel of its associated deal with the lowest numeric id. When that deal has no
 * lead channel, neither has the ticket (the next deal is not consulted: the rule names one deal).
 */
export function ticketChannelProperties(
  dealIds: readonly string[],
  leadChannelOfDeal: (dealId: string) => string | undefined,
  definitions: PropertiesPolicy,
): ChannelProperties {
  const dealId = lowestNumericId(dealIds);
  return written(definitions, 'ticket', {
    [LEAD_CHANNEL]: dealId === undefined ? undefined : leadChannelOfDeal(dealId),
  });
}

function written(
  definitions: PropertiesPolicy,
  object: CrmObject,
  values: Partial<Record<ChannelPropertyName, string | undefined>>,
): ChannelProperties {
  const properties: ChannelProperties = {};
  for (const [name, value] of Object.entries(values) as [ChannelPropertyName, string | undefined][]) {
    if (value === undefined || value === '') continue;
    if (definitions.properties.writtenBack.some((p) => p.name === name && p.objects.includes(object)))
      properties[name] = value;
  }
  return properties;
}

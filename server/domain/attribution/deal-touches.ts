import type { RecordProperties } from '../policy/index.ts';
import { amountInCents } from './amount.ts';
import { DAY_MS, parseHubSpotTime } from './time.ts';
import { compareTouches, type Touch } from './touches.ts';

export const CreditKinds = ['pipeline', 'revenue'] as const;
export type CreditKind = (typeof CreditKinds)[number];

/**
 * The closed-loop stage whose deals get revenue credit. Section 7 names it ("only `closed_won`
 * deals") and the attribution settings carry no field for it, so it is fixed here.
 */
export const WON_STAGE = 'closed_won';

/** A deal as attribution reads it; instants in ms since the epoch, money in cents. */
export type DealForAttribution = {
  id: string;
  /** Scope is the hygiene engine's (section 1); only deals in scope are credited. */
  inScope: boolean;
  /** The deal's current closed-loop stage id, or undefined out of scope. */
  stage: string | undefined;
  /** `createdate`: the pipeline credit's moment. */
  createdAt: number | undefined;
  /** `closedate`: the revenue credit's moment. */
  closedAt: number | undefined;
  /** round(`amount` × 100), or undefined when the amount is not valid (no credit rows). */
  amountCents: number | undefined;
  /** The deal's associated contacts. */
  contactIds: readonly string[];
};

export type DealRecord = { id: string; properties: RecordProperties; contactIds: readonly string[] };

/** Reads HubSpot's property strings once, so the hot path compares numbers. */
export function readDeal(
  record: DealRecord,
  scope: { inScope: boolean; stage: string | undefined },
): DealForAttribution {
  return {
    id: record.id,
    inScope: scope.inScope,
    stage: scope.stage,
    createdAt: parseHubSpotTime(record.properties['createdate']),
    closedAt: parseHubSpotTime(record.properties['closedate']),
    amountCents: amountInCents(record.properties['amount']),
    contactIds: record.contactIds,
  };
}

/** What attribution needs to know about contacts: their touches (ordered) and their `createdate`. */
export type ContactIndex = {
  touchesOf(contactId: string): readonly Touch[] | undefined;
  createdAtOf(contactId: string): number | undefined;
};

export function contactIndex(
  touches: ReadonlyMap<string, readonly Touch[]>,
  createdAt: ReadonlyMap<string, number | undefined>,
): ContactIndex {
  return { touchesOf: (id) => touches.get(id), createdAtOf: (id) => createdAt.get(id) };
}

/**
 * The credited moment M of a kind, or undefined when the deal gets no credit of that kind: out of
 * scope, no `createdate` (pipeline), not at `closed_won` or no `closedate` (revenue).
 */
export function creditedMoment(deal: DealForAttribution, kind: CreditKind): number | undefined {
  if (!deal.inScope) return undefined;
  if (kind === 'pipeline') return deal.createdAt;
  return deal.stage === WON_STAGE ? deal.closedAt : undefined;
}

/**
 * Section 7, deal touches: the touches of the deal's associated contacts with
 * M − lookback ≤ time ≤ M, ordered (time, then id). A contact listed twice counts once.
 */
export function dealTouches(
  contactIds: readonly string[],
  contacts: ContactIndex,
  moment: number,
  lookbackDays: number,
): Touch[] {
  const from = moment - lookbackDays * DAY_MS;
  const touches: Touch[] = [];
  for (let c = 0; c < contactIds.length; c++) {
    const contactId = contactIds[c]!;
    if (contactIds.indexOf(contactId) < c) continue;
    const own = contacts.touchesOf(contactId);
    if (own === undefined) continue;
    for (const touch of own) if (touch.time >= from && touch.time <= moment) touches.push(touch);
  }
  // Already in order for one contact's ordered list (the sort then only checks); merged otherwise.
  return touches.sort(compareTouches);
}

import type { AttributionEngine } from './credits.ts';
import type { ContactIndex, CreditKind, DealForAttribution } from './deal-touches.ts';
import type { Touch } from './touches.ts';

/** covered ÷ total, with ratio null when there is nothing to cover. */
export type Share = { covered: number; total: number; ratio: number | null };
export type Coverage = { deals: Share; amountCents: Share };

/** One credited deal: its amount in cents and its deal touches for the credited moment. */
export type CoverageEntry = { cents: number; touches: readonly Touch[] };

/**
 * Attribution coverage: the share of credited deals, and of their amount, with at least one
 * trackable touch (section 3: an untrackable touch or the unattributed row does not count). The
 * entries are the deals that get credit rows of one kind (see `DealAttribution`).
 */
export function coverage(entries: Iterable<CoverageEntry>): Coverage {
  let deals = 0;
  let coveredDeals = 0;
  let cents = 0;
  let coveredCents = 0;
  for (const entry of entries) {
    deals++;
    cents += entry.cents;
    if (entry.touches.some((touch) => touch.trackable)) {
      coveredDeals++;
      coveredCents += entry.cents;
    }
  }
  return { deals: share(coveredDeals, deals), amountCents: share(coveredCents, cents) };
}

function share(covered: number, total: number): Share {
  return { covered, total, ratio: total === 0 ? null : covered / total };
}

/** Coverage of the deals credited with one kind of credit (in scope, a valid amount, a credited moment). */
export function coverageOfDeals(
  deals: Iterable<DealForAttribution>,
  contacts: ContactIndex,
  engine: Pick<AttributionEngine, 'dealAttribution'>,
  kind: CreditKind = 'pipeline',
): Coverage {
  return coverage(creditedEntries(deals, contacts, engine, kind));
}

function* creditedEntries(
  deals: Iterable<DealForAttribution>,
  contacts: ContactIndex,
  engine: Pick<AttributionEngine, 'dealAttribution'>,
  kind: CreditKind,
): Generator<CoverageEntry> {
  for (const deal of deals) {
    if (deal.amountCents === undefined) continue;
    const credited = engine.dealAttribution(deal, contacts, kind);
    if (credited !== undefined) yield { cents: deal.amountCents, touches: credited.touches };
  }
}

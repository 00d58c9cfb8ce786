import { batchedCardReads } from './batched-reads.ts';
import type { CardContext, CardDeps } from './card-deps.ts';
import { acceptLead } from './accept-lead.ts';
import { contactCard } from './contact-card.ts';
import { dealCard } from './deal-card.ts';
import { fillDealField } from './fill-deal-field.ts';
import { setChangeRequestReason } from './set-change-request-reason.ts';
import { setChecklistItem } from './set-checklist-item.ts';
import { ticketCard } from './ticket-card.ts';

/**
 * The card use cases, bound to their dependencies and to one set of batched reads on their pool (so
 * the requests in flight share statements): what the HTTP routes call.
 */
export function createCardService(dependencies: CardDeps) {
  const deps: CardContext = { ...dependencies, reads: batchedCardReads(dependencies.db) };
  return {
    dealCard: (request: Parameters<typeof dealCard>[1]) => dealCard(deps, request),
    fillDealField: (request: Parameters<typeof fillDealField>[1]) => fillDealField(deps, request),
    ticketCard: (request: Parameters<typeof ticketCard>[1]) => ticketCard(deps, request),
    setChecklistItem: (request: Parameters<typeof setChecklistItem>[1]) => setChecklistItem(deps, request),
    setChangeRequestReason: (request: Parameters<typeof setChangeRequestReason>[1]) =>
      setChangeRequestReason(deps, request),
    contactCard: (request: Parameters<typeof contactCard>[1]) => contactCard(deps, request),
    acceptLead: (request: Parameters<typeof acceptLead>[1]) => acceptLead(deps, request),
  };
}
export type CardService = ReturnType<typeof createCardService>;

import type { CardContext } from './card-deps.ts';
import { loadCardRecord } from './card-record.ts';
import { CardRefusal } from './card-refusal.ts';
import { commitCardWrite } from './commit-card-write.ts';
import type { SetChangeRequestReasonRequest, TicketCard } from './contracts/ticket.ts';
import { CHANGE_REQUEST_REASON, ticketCard, ticketCardOf } from './ticket-card.ts';

/** Sets a ticket's change-request reason to an option of its governed picklist, or clears it with "". */
export async function setChangeRequestReason(
  deps: CardContext,
  request: SetChangeRequestReasonRequest,
): Promise<TicketCard> {
  const card = await loadCardRecord(deps, request, 'ticket');
  const { changeRequestReason: reason } = ticketCardOf(card, null);
  if (reason.picklist === null)
    throw new CardRefusal('refused', 'The definitions govern no change-request reasons for tickets.', 'value');
  if (request.value !== '' && !reason.options.some((o) => o.value === request.value))
    throw new CardRefusal(
      'refused',
      `Change request reason: "${request.value}" is not one of its options (${reason.options.map((o) => `${o.value}: ${o.label}`).join(', ')}). Nothing was changed.`,
      'value',
    );
  const old = card.record.properties[CHANGE_REQUEST_REASON] ?? null;
  if ((old ?? '') !== request.value) {
    await commitCardWrite(deps, request, card, {
      properties: { [CHANGE_REQUEST_REASON]: request.value },
      audit: {
        action: 'change_request_reason',
        property: CHANGE_REQUEST_REASON,
        oldValue: old,
        newValue: request.value,
      },
    });
  }
  return ticketCard(deps, request);
}

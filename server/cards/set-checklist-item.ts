import type { CardContext } from './card-deps.ts';
import { loadCardRecord } from './card-record.ts';
import { CardRefusal } from './card-refusal.ts';
import { commitCardWrite } from './commit-card-write.ts';
import type { SetChecklistItemRequest, TicketCard } from './contracts/ticket.ts';
import { ticketCard } from './ticket-card.ts';

/**
 * Checks or unchecks one checklist item of a ticket, recorded with the HubSpot user who did it; the
 * ticket's handoff values (clr_handoff_pct, clr_handoff_complete) go to HubSpot with the change.
 */
export async function setChecklistItem(deps: CardContext, request: SetChecklistItemRequest): Promise<TicketCard> {
  const card = await loadCardRecord(deps, request, 'ticket');
  const checklists = card.definitions.checklists.filter((c) => c.object === 'ticket');
  const checklist =
    request.checklist === undefined ? checklists[0] : checklists.find((c) => c.id === request.checklist);
  if (checklist === undefined)
    throw new CardRefusal(
      'refused',
      `"${request.checklist ?? ''}" is not a ticket checklist; the checklists are ${checklists.map((c) => c.id).join(', ') || 'none'}.`,
      'checklist',
    );
  if (!checklist.items.some((item) => item.id === request.item))
    throw new CardRefusal(
      'refused',
      `"${request.item}" is not an item of the ${checklist.label}; its items are ${checklist.items.map((i) => i.id).join(', ')}.`,
      'item',
    );
  const wasChecked = (card.record.checklistItems ?? []).some(
    (i) => i.checklist === checklist.id && i.item === request.item,
  );
  if (wasChecked !== request.checked) {
    await commitCardWrite(deps, request, card, {
      properties: {},
      checklist: { checklist: checklist.id, item: request.item, checked: request.checked },
      audit: {
        action: 'checklist_item',
        property: `${checklist.id}.${request.item}`,
        oldValue: String(wasChecked),
        newValue: String(request.checked),
      },
    });
  }
  return ticketCard(deps, request);
}

// The ticket card is written and tested in extensions/ (its own workspace); this entry point is what
// HubSpot builds, and the card module registers itself with hubspot.extend when imported.
import 'closed-loop-extensions/cards/ticket/TicketCard.tsx';

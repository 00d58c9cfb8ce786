import { array, boolean, integer, literal, nullable, object, oneOf, string, type Decoded } from '../decode.ts';
import { cardFinding, compliance, option, stageRef } from './common.ts';

/** The ticket card's endpoints all answer this (server/cards/contracts/ticket.ts `TicketCard`). */

export const TICKET_CARD_PATH = '/cards/v1/ticket';
export const SET_CHECKLIST_ITEM_PATH = '/cards/v1/ticket/checklist';
export const SET_CHANGE_REQUEST_REASON_PATH = '/cards/v1/ticket/change-request-reason';

export const checklistItem = object({
  id: string,
  label: string,
  checked: boolean,
  checkedByUserId: nullable(string),
  checkedByEmail: nullable(string),
  checkedAt: nullable(string),
});
export type ChecklistItem = Decoded<typeof checklistItem>;

export const ticketChecklist = object({
  id: string,
  label: string,
  items: array(checklistItem),
  done: integer(0),
  total: integer(1),
  /** clr_handoff_pct for the handoff checklist. */
  percent: integer(0, 100),
  complete: boolean,
  requiredFrom: nullable(stageRef),
});
export type TicketChecklist = Decoded<typeof ticketChecklist>;

export const ticketCard = object({
  objectType: literal('ticket'),
  objectId: string,
  definitionsVersion: integer(),
  inScope: boolean,
  stage: nullable(stageRef),
  compliance: nullable(compliance),
  checklists: array(ticketChecklist),
  originDeal: nullable(
    object({
      id: string,
      name: nullable(string),
      stage: nullable(stageRef),
      leadChannel: nullable(object({ value: string, label: string })),
      contractId: nullable(string),
      /** clr_sla_scope of the deal: the service levels promised in the proposal. */
      slaScope: nullable(string),
    }),
  ),
  dealIds: array(string),
  contract: nullable(
    object({
      property: string,
      ticketContractId: nullable(string),
      status: oneOf(['match', 'mismatch', 'missing', 'no_deal', 'not_checked']),
    }),
  ),
  changeRequestReason: object({
    value: nullable(string),
    valid: boolean,
    picklist: nullable(string),
    options: array(option),
  }),
  findings: array(cardFinding),
});
export type TicketCardData = Decoded<typeof ticketCard>;

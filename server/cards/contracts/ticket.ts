import { z } from 'zod';
import { CardClaims, CardFinding, Compliance, Option, StageRef } from './common.ts';

/** `POST /cards/v1/ticket`: the ticket card's state. */
export const TicketCardRequest = z.strictObject(CardClaims);
export type TicketCardRequest = z.output<typeof TicketCardRequest>;

/** `POST /cards/v1/ticket/checklist`: checks or unchecks one item of a checklist of the ticket. */
export const SetChecklistItemRequest = z.strictObject({
  ...CardClaims,
  /** Default: the `handoff` checklist. */
  checklist: z.string().min(1).max(64).optional(),
  item: z.string().min(1).max(64),
  checked: z.boolean(),
});
export type SetChecklistItemRequest = z.output<typeof SetChecklistItemRequest>;

/** `POST /cards/v1/ticket/change-request-reason`: sets (or, with "", clears) the governed reason. */
export const SetChangeRequestReasonRequest = z.strictObject({
  ...CardClaims,
  value: z.string().max(256),
});
export type SetChangeRequestReasonRequest = z.output<typeof SetChangeRequestReasonRequest>;

export const ChecklistItemState = z.strictObject({
  id: z.string(),
  label: z.string(),
  checked: z.boolean(),
  checkedByUserId: z.string().nullable(),
  checkedByEmail: z.string().nullable(),
  checkedAt: z.string().nullable(),
});

export const TicketChecklist = z.strictObject({
  id: z.string(),
  label: z.string(),
  items: z.array(ChecklistItemState),
  done: z.number().int().min(0),
  total: z.number().int().min(1),
  /** round-half-up of 100 × done ÷ total (clr_handoff_pct for the handoff checklist). */
  percent: z.number().int().min(0).max(100),
  complete: z.boolean(),
  /** The stage from which every item must be done (null: no required-fields row names it). */
  requiredFrom: StageRef.nullable(),
});

export const OriginDeal = z.strictObject({
  id: z.string(),
  name: z.string().nullable(),
  stage: StageRef.nullable(),
  /** The deal's clr_lead_channel as attribution computed it (null: none yet). */
  leadChannel: z.strictObject({ value: z.string(), label: z.string() }).nullable(),
  contractId: z.string().nullable(),
  /** clr_sla_scope of the deal: the service levels promised in the proposal. */
  slaScope: z.string().nullable(),
});

export const TicketCard = z.strictObject({
  objectType: z.literal('ticket'),
  objectId: z.string(),
  definitionsVersion: z.number().int(),
  inScope: z.boolean(),
  stage: StageRef.nullable(),
  compliance: Compliance.nullable(),
  checklists: z.array(TicketChecklist),
  /** The associated deal with the lowest id (the one clr_lead_channel follows); null: none. */
  originDeal: OriginDeal.nullable(),
  /** Every associated deal's id, lowest first. */
  dealIds: z.array(z.string()),
  /** The ticket's contract id against its deals' (section 4's matches-association check); null: the policy has none. */
  contract: z
    .strictObject({
      property: z.string(),
      ticketContractId: z.string().nullable(),
      /**
       * `match`: some associated deal has it; `mismatch`: none has; `missing`: the ticket has none;
       * `no_deal`: no deal is associated; `not_checked`: the check does not apply at this stage or scope.
       */
      status: z.enum(['match', 'mismatch', 'missing', 'no_deal', 'not_checked']),
    })
    .nullable(),
  changeRequestReason: z.strictObject({
    value: z.string().nullable(),
    /** False when the value is set but is not an option of the picklist. */
    valid: z.boolean(),
    /** The governed picklist of the reason (null: the definitions govern none). */
    picklist: z.string().nullable(),
    options: z.array(Option),
  }),
  findings: z.array(CardFinding),
});
export type TicketCard = z.output<typeof TicketCard>;

import { z } from 'zod';
import { CardClaims, CardFinding, Compliance, SlaState, StageRef } from './common.ts';

/** `POST /cards/v1/contact`: the contact card's state. */
export const ContactCardRequest = z.strictObject(CardClaims);
export type ContactCardRequest = z.output<typeof ContactCardRequest>;

/** `POST /cards/v1/contact/accept-lead`: sales accepts an MQL (sets clr_sal_date to now). */
export const AcceptLeadRequest = z.strictObject(CardClaims);
export type AcceptLeadRequest = z.output<typeof AcceptLeadRequest>;

export const TimelineEntry = z.strictObject({
  stage: StageRef,
  /** When the contact entered the stage (null: not entered). */
  enteredAt: z.string().nullable(),
  current: z.boolean(),
  /** Earlier than the current stage but never entered (a `stage_gap:skipped` finding). */
  skipped: z.boolean(),
  /** The history moved back from this stage (the `from` of a `stage_gap:backward` finding). */
  movedBackFrom: z.boolean(),
  /** Entered before the stage that precedes it (a `stage_gap:out_of_order` finding). */
  outOfOrder: z.boolean(),
});

export const ContactTouch = z.strictObject({
  id: z.string(),
  occurredAt: z.string(),
  channel: z.string(),
  channelLabel: z.string(),
  trackable: z.boolean(),
  campaignId: z.string().nullable(),
  source: z.enum(['hubspot_event', 'ingest', 'derived']),
});

export const ContactCard = z.strictObject({
  objectType: z.literal('contact'),
  objectId: z.string(),
  definitionsVersion: z.number().int(),
  inScope: z.boolean(),
  stage: StageRef.nullable(),
  compliance: Compliance.nullable(),
  timeline: z.array(TimelineEntry),
  touches: z.strictObject({
    count: z.number().int().min(0),
    first: ContactTouch.nullable(),
    last: ContactTouch.nullable(),
    /** The most recent touches, newest first (at most 20). */
    recent: z.array(ContactTouch),
  }),
  duplicates: z.strictObject({
    /** The survivor this contact duplicates (null: it is not a duplicate). */
    survivorId: z.string().nullable(),
    /** The other contacts sharing its key, lowest id first (at most 50). */
    others: z.array(z.strictObject({ id: z.string(), survivor: z.boolean() })),
    property: z.string().nullable(),
  }),
  slas: z.array(SlaState),
  /** Whether "Accept lead" applies now, and why not when it does not. */
  acceptLead: z.strictObject({
    available: z.boolean(),
    property: z.string(),
    reason: z.string().nullable(),
    acceptedAt: z.string().nullable(),
  }),
  findings: z.array(CardFinding),
});
export type ContactCard = z.output<typeof ContactCard>;

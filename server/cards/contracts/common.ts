import { z } from 'zod';

/**
 * What every card request and answer is made of. The card sends the ids HubSpot gave it in its
 * `context` (portal, user, record) in the JSON body; HubSpot's proxy signs that body, and the server
 * still treats them as claims to check: the portal must be installed and the record must be in that
 * portal's mirror.
 */

const HubSpotId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** `context.portal.id`, `context.user.id`, `context.user.email` and `context.crm.objectId`. */
export const CardClaims = {
  portalId: HubSpotId,
  userId: HubSpotId,
  userEmail: z.string().min(3).max(254).optional(),
  objectId: HubSpotId,
};
export const CardRequest = z.strictObject(CardClaims);
export type CardRequest = z.output<typeof CardRequest>;

/** Why a request was not answered with data; `message` is written for the person looking at the card. */
export const CardErrorCode = z.enum([
  /** The body is not what this endpoint takes (names the field and what is wrong). */
  'invalid_request',
  /** The portal is not installed, or the record is not one of its records. */
  'not_found',
  /** A write the definitions do not allow (a value outside the picklist, a lead that is no MQL…); nothing changed. */
  'refused',
  /** HubSpot did not take the write; nothing changed. */
  'hubspot_error',
]);
export type CardErrorCode = z.output<typeof CardErrorCode>;

export const CardError = z.strictObject({
  message: z.string(),
  code: CardErrorCode,
  /** The request field the message is about, when there is one. */
  field: z.string().optional(),
});
export type CardError = z.output<typeof CardError>;

/** Every answer: 200 with one of these (401 only for a request HubSpot did not sign). */
export function envelope<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), data }),
    z.strictObject({ ok: z.literal(false), error: CardError }),
  ]);
}

/** A closed-loop stage: its id in the definitions and its label. */
export const StageRef = z.strictObject({ id: z.string(), label: z.string() });
export type StageRef = z.output<typeof StageRef>;

export const ComplianceStatus = z.enum(['compliant', 'incomplete', 'invalid']);

/** Section 8's status and score, with the checks behind the score. */
export const Compliance = z.strictObject({
  status: ComplianceStatus,
  score: z.number().int().min(0).max(100),
  applicable: z.number().int().min(0),
  passed: z.number().int().min(0),
});
export type Compliance = z.output<typeof Compliance>;

/** One open finding of the record as the engine reports it now. */
export const CardFinding = z.strictObject({
  code: z.string(),
  kind: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  field: z.string().nullable(),
  proposedFix: z.string(),
});
export type CardFinding = z.output<typeof CardFinding>;

export const Option = z.strictObject({ value: z.string(), label: z.string() });

/** Which input the card shows for a field, from the field's rule in the definitions. */
export const FieldInput = z.discriminatedUnion('kind', [
  /** A governed picklist: a Select over exactly these options. */
  z.strictObject({ kind: z.literal('picklist'), picklist: z.string(), options: z.array(Option) }),
  /** Any non-empty text. */
  z.strictObject({ kind: z.literal('text') }),
  /** A number greater than `greaterThan` (plain decimal). */
  z.strictObject({ kind: z.literal('number'), greaterThan: z.number() }),
  /** A calendar date, sent back as YYYY-MM-DD. */
  z.strictObject({ kind: z.literal('date') }),
]);
export type FieldInput = z.output<typeof FieldInput>;

/** A required field the record fails, with what the card needs to let a person fill it in. */
export const FieldToFill = z.strictObject({
  property: z.string(),
  /** The definitions' label for the app's own properties; null for HubSpot's (amount, closedate). */
  label: z.string().nullable(),
  /** The stage the row is required from (or at, `applies: only`). */
  requiredFrom: StageRef,
  applies: z.enum(['from', 'only']),
  /** `missing`: empty or not the number/date its rule needs; `invalid`: outside its picklist. */
  problem: z.enum(['missing', 'invalid']),
  value: z.string().nullable(),
  input: FieldInput,
  proposedFix: z.string(),
});
export type FieldToFill = z.output<typeof FieldToFill>;

/** Time in the current stage against the SLA that limits it, if one does. */
export const StageTime = z.strictObject({
  enteredAt: z.string().nullable(),
  days: z.number().int().min(0).nullable(),
  sla: z
    .strictObject({
      id: z.string(),
      label: z.string(),
      thresholdDays: z.number(),
      breached: z.boolean(),
    })
    .nullable(),
});
export type StageTime = z.output<typeof StageTime>;

/** An SLA of the record's object that applies to it now, and whether it is breached. */
export const SlaState = z.strictObject({
  id: z.string(),
  label: z.string(),
  breached: z.boolean(),
  proposedFix: z.string().nullable(),
});
export type SlaState = z.output<typeof SlaState>;

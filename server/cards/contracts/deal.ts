import { z } from 'zod';
import { CardClaims, CardFinding, Compliance, FieldToFill, StageRef, StageTime } from './common.ts';

/** `POST /cards/v1/deal`: the deal card's state; `model` and `kind` pick the attribution shown. */
export const DealCardRequest = z.strictObject({
  ...CardClaims,
  /** An attribution model id of the definitions; default: the first enabled model. */
  model: z.string().min(1).max(64).optional(),
  /** `pipeline` (credit of the deal's creation, default) or `revenue` (of a won deal's close). */
  kind: z.enum(['pipeline', 'revenue']).optional(),
});
export type DealCardRequest = z.output<typeof DealCardRequest>;

/** `POST /cards/v1/deal/field`: fills one required field of the deal. */
export const FillDealFieldRequest = z.strictObject({
  ...CardClaims,
  property: z.string().min(1).max(100),
  /** As HubSpot stores it: an option value, a plain decimal, YYYY-MM-DD or text. */
  value: z.string().max(65_536),
  model: DealCardRequest.shape.model,
  kind: DealCardRequest.shape.kind,
});
export type FillDealFieldRequest = z.output<typeof FillDealFieldRequest>;

export const MissingJoinKey = z.strictObject({
  code: z.string(),
  key: z.string(),
  /** `missing` (no association / empty property) or `mismatch` (the associated record disagrees). */
  problem: z.enum(['missing', 'mismatch']),
  proposedFix: z.string(),
});

export const AttributionTouch = z.strictObject({
  id: z.string(),
  contactId: z.string(),
  occurredAt: z.string(),
  channel: z.string(),
  channelLabel: z.string(),
  trackable: z.boolean(),
  campaignId: z.string().nullable(),
  source: z.enum(['hubspot_event', 'ingest', 'derived']),
  /** This touch's credit under the selected model and kind. */
  cents: z.number().int().min(0),
});

export const ChannelCredit = z.strictObject({
  channel: z.string(),
  label: z.string(),
  cents: z.number().int().min(0),
});

const Share = z.strictObject({ covered: z.number(), total: z.number(), ratio: z.number().nullable() });

export const DealAttribution = z.strictObject({
  models: z.array(z.strictObject({ id: z.string(), label: z.string() })),
  model: z.string(),
  kind: z.enum(['pipeline', 'revenue']),
  /** Sum of the credit rows: the deal's amount in cents when credited. */
  creditedCents: z.number().int().min(0),
  /** Credit by channel, most first (the unattributed row has channel = the definitions' unattributedChannel). */
  byChannel: z.array(ChannelCredit),
  /** The touches behind the credit, oldest first. */
  touches: z.array(AttributionTouch),
  /** Attribution coverage of this deal: does some trackable touch carry its credit. */
  coverage: z.strictObject({ deals: Share, amountCents: Share }),
  /** When the stored credits were computed (null: never for this deal). */
  computedAt: z.string().nullable(),
});
export type DealAttribution = z.output<typeof DealAttribution>;

export const DealCard = z.strictObject({
  objectType: z.literal('deal'),
  objectId: z.string(),
  definitionsVersion: z.number().int(),
  /** Out of scope (another pipeline, a stage the policy does not map): no check applies. */
  inScope: z.boolean(),
  stage: StageRef.nullable(),
  nextStage: StageRef.nullable(),
  compliance: Compliance.nullable(),
  missingFields: z.strictObject({ current: z.array(FieldToFill), next: z.array(FieldToFill) }),
  missingJoinKeys: z.array(MissingJoinKey),
  stageTime: StageTime,
  findings: z.array(CardFinding),
  attribution: DealAttribution,
});
export type DealCard = z.output<typeof DealCard>;

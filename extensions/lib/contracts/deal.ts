import { array, boolean, integer, literal, nullable, number, object, oneOf, string, type Decoded } from '../decode.ts';
import { cardFinding, compliance, fieldToFill, stageRef, stageTime } from './common.ts';

/** `POST /cards/v1/deal` and `/cards/v1/deal/field` answer this (server/cards/contracts/deal.ts `DealCard`). */

export const DEAL_CARD_PATH = '/cards/v1/deal';
export const FILL_DEAL_FIELD_PATH = '/cards/v1/deal/field';

export type AttributionKind = 'pipeline' | 'revenue';

const touchSource = oneOf(['hubspot_event', 'ingest', 'derived']);
const share = object({ covered: number, total: number, ratio: nullable(number) });

export const dealAttribution = object({
  models: array(object({ id: string, label: string })),
  model: string,
  kind: oneOf(['pipeline', 'revenue']),
  creditedCents: integer(0),
  byChannel: array(object({ channel: string, label: string, cents: integer(0) })),
  touches: array(
    object({
      id: string,
      contactId: string,
      occurredAt: string,
      channel: string,
      channelLabel: string,
      trackable: boolean,
      campaignId: nullable(string),
      source: touchSource,
      cents: integer(0),
    }),
  ),
  coverage: object({ deals: share, amountCents: share }),
  computedAt: nullable(string),
});
export type DealAttribution = Decoded<typeof dealAttribution>;

export const dealCard = object({
  objectType: literal('deal'),
  objectId: string,
  definitionsVersion: integer(),
  inScope: boolean,
  stage: nullable(stageRef),
  nextStage: nullable(stageRef),
  compliance: nullable(compliance),
  missingFields: object({ current: array(fieldToFill), next: array(fieldToFill) }),
  missingJoinKeys: array(
    object({ code: string, key: string, problem: oneOf(['missing', 'mismatch']), proposedFix: string }),
  ),
  stageTime,
  findings: array(cardFinding),
  attribution: dealAttribution,
});
export type DealCardData = Decoded<typeof dealCard>;

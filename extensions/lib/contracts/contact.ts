import { array, boolean, integer, literal, nullable, object, oneOf, string, type Decoded } from '../decode.ts';
import { cardFinding, compliance, slaState, stageRef } from './common.ts';

/** The contact card's endpoints both answer this (server/cards/contracts/contact.ts `ContactCard`). */

export const CONTACT_CARD_PATH = '/cards/v1/contact';
export const ACCEPT_LEAD_PATH = '/cards/v1/contact/accept-lead';

export const timelineEntry = object({
  stage: stageRef,
  enteredAt: nullable(string),
  current: boolean,
  skipped: boolean,
  movedBackFrom: boolean,
  outOfOrder: boolean,
});
export type TimelineEntry = Decoded<typeof timelineEntry>;

export const contactTouch = object({
  id: string,
  occurredAt: string,
  channel: string,
  channelLabel: string,
  trackable: boolean,
  campaignId: nullable(string),
  source: oneOf(['hubspot_event', 'ingest', 'derived']),
});
export type ContactTouch = Decoded<typeof contactTouch>;

export const contactCard = object({
  objectType: literal('contact'),
  objectId: string,
  definitionsVersion: integer(),
  inScope: boolean,
  stage: nullable(stageRef),
  compliance: nullable(compliance),
  timeline: array(timelineEntry),
  touches: object({
    count: integer(0),
    first: nullable(contactTouch),
    last: nullable(contactTouch),
    recent: array(contactTouch),
  }),
  duplicates: object({
    survivorId: nullable(string),
    others: array(object({ id: string, survivor: boolean })),
    property: nullable(string),
  }),
  slas: array(slaState),
  acceptLead: object({
    available: boolean,
    property: string,
    reason: nullable(string),
    acceptedAt: nullable(string),
  }),
  findings: array(cardFinding),
});
export type ContactCardData = Decoded<typeof contactCard>;

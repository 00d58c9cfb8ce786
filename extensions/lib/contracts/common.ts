import {
  array,
  boolean,
  integer,
  literal,
  nullable,
  number,
  object,
  oneOf,
  string,
  tagged,
  type Decoded,
} from '../decode.ts';

/** The shapes every card answer is made of (server/cards/contracts/common.ts). */

export const stageRef = object({ id: string, label: string });
export type StageRef = Decoded<typeof stageRef>;

export const compliance = object({
  status: oneOf(['compliant', 'incomplete', 'invalid']),
  score: integer(0, 100),
  applicable: integer(0),
  passed: integer(0),
});
export type Compliance = Decoded<typeof compliance>;

export const cardFinding = object({
  code: string,
  kind: string,
  severity: oneOf(['error', 'warning', 'info']),
  field: nullable(string),
  proposedFix: string,
});
export type CardFinding = Decoded<typeof cardFinding>;

export const option = object({ value: string, label: string });
export type Option = Decoded<typeof option>;

/** Which input the card shows for a field: Select, Input, NumberInput or DateInput. */
export const fieldInput = tagged('kind', {
  picklist: object({ kind: literal('picklist'), picklist: string, options: array(option) }),
  text: object({ kind: literal('text') }),
  number: object({ kind: literal('number'), greaterThan: number }),
  date: object({ kind: literal('date') }),
});
export type FieldInput = Decoded<typeof fieldInput>;

export const fieldToFill = object({
  property: string,
  /** null for HubSpot's own properties (amount, closedate): the card uses HubSpot's label. */
  label: nullable(string),
  requiredFrom: stageRef,
  applies: oneOf(['from', 'only']),
  problem: oneOf(['missing', 'invalid']),
  value: nullable(string),
  input: fieldInput,
  proposedFix: string,
});
export type FieldToFill = Decoded<typeof fieldToFill>;

export const stageTime = object({
  enteredAt: nullable(string),
  days: nullable(integer(0)),
  sla: nullable(object({ id: string, label: string, thresholdDays: number, breached: boolean })),
});
export type StageTime = Decoded<typeof stageTime>;

export const slaState = object({ id: string, label: string, breached: boolean, proposedFix: nullable(string) });
export type SlaState = Decoded<typeof slaState>;

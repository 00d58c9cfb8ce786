import { z } from 'zod';
import { Label } from './primitives.ts';

/**
 * Section 9: the kinds of finding the hygiene engine reports. Codes are built by the engine
 * (`missing_field:<property>`, `stage_gap:backward:<from>><to>`, …); the policy says what each kind
 * means to a person and how it weighs on `clr_compliance_status`: `invalid` if any finding of an
 * `invalid` kind, else `incomplete` if any of an `incomplete` kind, else `compliant`.
 */
export const FindingKind = z.enum([
  'missing_field',
  'invalid_value',
  'checklist_incomplete',
  'missing_join_key',
  'join_key_mismatch',
  'stage_gap',
  'duplicate',
  'sla_breached',
]);
export type FindingKind = z.output<typeof FindingKind>;

export const FindingDefinition = z.strictObject({
  meaning: Label,
  compliance: z.enum(['invalid', 'incomplete']).nullable(),
});
export type FindingDefinition = z.output<typeof FindingDefinition>;

/** One entry per kind, none missing: the engine produces them all. */
export const Findings = z.record(FindingKind, FindingDefinition);
export type Findings = z.output<typeof Findings>;

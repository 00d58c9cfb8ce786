/**
 * The hygiene engine: findings, compliance status and score, and the written-back values of every
 * record, read from the definitions. Pure: data in, decisions out.
 */
export * from './compliance.ts';
export * from './computed-properties.ts';
export * from './entered-at.ts';
export * from './evaluate.ts';
export * from './finding.ts';
export * from './history.ts';
export * from './input.ts';
export {
  findDuplicates,
  DuplicateGrouping,
  recordKey,
  duplicateOf,
  type DuplicateCandidate,
  type DuplicateMatch,
} from './rules/duplicates.ts';
export { slaOutcomes, type SlaOutcome } from './rules/slas.ts';
export { stagedRecord, type StagedRecord } from './staged-record.ts';
export { parseInstant, parseNumber, isSet } from './values.ts';

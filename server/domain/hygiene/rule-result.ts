import type { Definitions, FindingKind } from '../policy/index.ts';
import { severityOf, type FactValue, type Finding } from './finding.ts';
import type { RecordInput } from './input.ts';

/**
 * What one rule family says about one record: its findings, and how many of the checks that count
 * towards `clr_compliance_score` applied and passed (section 8). Counting at the rule, not from the
 * findings, keeps the score right when two rows report the same code.
 */
export type RuleResult = { findings: Finding[]; applicable: number; passed: number };

export const NOTHING: RuleResult = Object.freeze({ findings: [], applicable: 0, passed: 0 }) as RuleResult;

export function combine(results: readonly RuleResult[]): RuleResult {
  return {
    findings: results.flatMap((result) => result.findings),
    applicable: results.reduce((sum, result) => sum + result.applicable, 0),
    passed: results.reduce((sum, result) => sum + result.passed, 0),
  };
}

/** One scored check: applicable, and passed unless it found something. */
export function scored(findings: Finding[]): RuleResult {
  return { findings, applicable: 1, passed: findings.length === 0 ? 1 : 0 };
}

export type FindingParts = { code: string; field?: string; proposedFix: string; facts: Record<string, FactValue> };

export function makeFinding(
  record: Pick<RecordInput, 'objectType' | 'id'>,
  definitions: Definitions,
  kind: FindingKind,
  parts: FindingParts,
): Finding {
  return {
    objectType: record.objectType,
    objectId: record.id,
    code: parts.code,
    ...(parts.field === undefined ? {} : { field: parts.field }),
    kind,
    severity: severityOf(definitions.findings, kind),
    proposedFix: parts.proposedFix,
    facts: parts.facts,
  };
}

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

// Plain loops: every record goes through this several times, and the array methods' closures and
// intermediate arrays showed in the evaluation of large portals.
export function combine(results: readonly RuleResult[]): RuleResult {
  const findings: Finding[] = [];
  let applicable = 0;
  let passed = 0;
  for (const result of results) {
    for (const finding of result.findings) findings.push(finding);
    applicable += result.applicable;
    passed += result.passed;
  }
  return { findings, applicable, passed };
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
  const severity = severityOf(definitions.findings, kind);
  // Two literals rather than a spread of an optional field: the same keys in the same order, built
  // without an intermediate object (this runs for every finding of every record).
  return parts.field === undefined
    ? {
        objectType: record.objectType,
        objectId: record.id,
        code: parts.code,
        kind,
        severity,
        proposedFix: parts.proposedFix,
        facts: parts.facts,
      }
    : {
        objectType: record.objectType,
        objectId: record.id,
        code: parts.code,
        field: parts.field,
        kind,
        severity,
        proposedFix: parts.proposedFix,
        facts: parts.facts,
      };
}

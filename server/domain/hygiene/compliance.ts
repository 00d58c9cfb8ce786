import type { Definitions } from '../policy/index.ts';
import type { Finding } from './finding.ts';
import { percent } from './values.ts';

/**
 * Section 8's compliance status and score. The status reads the compliance level each finding kind
 * has in the `findings` section (version 1: `invalid_value`, `join_key_mismatch`, `stage_gap` are
 * invalid; `missing_field`, `missing_join_key`, `checklist_incomplete` incomplete; duplicates and SLA
 * breaches neither), so an admin's re-levelling changes it.
 */
export type ComplianceStatus = 'compliant' | 'incomplete' | 'invalid';

export function complianceStatus(findings: readonly Finding[], levels: Definitions['findings']): ComplianceStatus {
  let status: ComplianceStatus = 'compliant';
  for (const finding of findings) {
    const level = levels[finding.kind]?.compliance;
    if (level === 'invalid') return 'invalid';
    if (level === 'incomplete') status = 'incomplete';
  }
  return status;
}

/** The scored checks of a record: each applicable section-2 row, join key check and the stage-integrity check. */
export type ScoreTally = { readonly applicable: number; readonly passed: number };

/** round-half-up(100 × passed ÷ applicable); 100 when no check applies. */
export function complianceScore({ applicable, passed }: ScoreTally): number {
  return applicable === 0 ? 100 : percent(passed, applicable);
}

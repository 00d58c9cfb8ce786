import { z } from 'zod';
import { CrmObject, FindingKind, type Definitions } from '../policy/index.ts';

/**
 * One finding of the issue log (section 9): what is wrong on which record, how bad, and what a
 * person can do about it. `code` is the identity (one open finding per record and code); `facts`
 * are the values the rule looked at, so the log can show why without re-running the rule.
 */
export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.output<typeof Severity>;

export const FactValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
export type FactValue = z.output<typeof FactValue>;

export const FindingSchema = z.object({
  objectType: CrmObject,
  objectId: z.string(),
  code: z.string(),
  field: z.string().optional(),
  kind: FindingKind,
  severity: Severity,
  proposedFix: z.string(),
  facts: z.record(z.string(), FactValue),
});
export type Finding = z.output<typeof FindingSchema>;

/**
 * The policy gives findings no severity, only a compliance level (the `findings` section), so the
 * severity follows it: a finding that makes a record `invalid` is an error, one that makes it
 * `incomplete` a warning, one that weighs on no status (duplicates, SLA breaches) is information.
 * An admin who re-levels a kind re-levels its severity with it.
 */
export function severityOf(findings: Definitions['findings'], kind: FindingKind): Severity {
  const level = findings[kind]?.compliance ?? null;
  return level === 'invalid' ? 'error' : level === 'incomplete' ? 'warning' : 'info';
}

/** Findings in their canonical order, one per code (the first rule to report a code wins). */
export function canonicalFindings(findings: readonly Finding[]): Finding[] {
  // Most records have none or one: nothing to deduplicate or sort then.
  if (findings.length < 2) return [...findings];
  // The sort is stable: of the findings sharing a code, the first reported comes first, and is kept.
  const sorted = [...findings].sort(compareCodes);
  return sorted.filter((finding, i) => i === 0 || sorted[i - 1]!.code !== finding.code);
}

const compareCodes = (a: Finding, b: Finding) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

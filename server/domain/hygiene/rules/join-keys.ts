import { joinKeyFindingCode, joinKeyOf, type JoinKeyCheck } from '../../policy/index.ts';
import type { Finding } from '../finding.ts';
import type { AssociatedRecord } from '../input.ts';
import { perStage } from '../per-definitions.ts';
import { makeFinding, type RuleResult } from '../rule-result.ts';
import { appliesAt, recordName, type StagedRecord } from '../staged-record.ts';
import { compareIds, isSet } from '../values.ts';
import { requiredBecause } from './field-rows.ts';

/**
 * Section 4's join keys, the links closed-loop reporting walks. Each check that applies (its object,
 * and its stage when it names one) is one scored check:
 *
 * - `has_association`: at least one associated record of `to`, else `missing_join_key:<to>`;
 * - `non_empty`: the property is non-empty after trimming, else `missing_join_key:<property>`;
 * - `matches_association`: applies only when the property is non-empty and there is at least one
 *   associated `to`; passes when one of them has the same value (both trimmed, then exact), else
 *   `join_key_mismatch:<property>`.
 */
export function joinKeyResult(view: StagedRecord): RuleResult {
  // Each check that applies is one scored check: counted here rather than combined from a result per
  // check (this runs on every record).
  const findings: Finding[] = [];
  let applicable = 0;
  let passed = 0;
  for (const check of joinKeysAt(view)) {
    const found = evaluate(view, check);
    if (found === undefined) continue;
    applicable++;
    if (found.length === 0) passed++;
    for (const finding of found) findings.push(finding);
  }
  return { findings, applicable, passed };
}

/** The join key checks of the record's object that apply at its stage, in definitions order. */
const joinKeysAt = perStage((view) =>
  view.definitions.joinKeys.filter(
    (check) => check.object === view.object && (check.atStage === undefined || appliesAt(view, check.atStage)),
  ),
);

/** The check's findings, or undefined when it does not apply to this record. */
function evaluate(view: StagedRecord, check: JoinKeyCheck): Finding[] | undefined {
  const { record } = view;
  switch (check.kind) {
    case 'has_association':
      return associated(record.associations, check.to).length > 0 ? [] : [missingAssociation(view, check)];
    case 'non_empty':
      return isSet(record.properties[check.property]) ? [] : [missingProperty(view, check)];
    case 'matches_association': {
      const value = record.properties[check.property];
      const others = associated(record.associations, check.to);
      if (!isSet(value) || others.length === 0) return undefined;
      const matches = others.some((other) => (other.properties?.[check.property] ?? '').trim() === value.trim());
      return matches ? [] : [mismatch(view, check, value, others)];
    }
  }
}

function associated(associations: readonly AssociatedRecord[] | undefined, to: string): AssociatedRecord[] {
  return (associations ?? []).filter((other) => other.objectType === to);
}

function missingAssociation(view: StagedRecord, check: Extract<JoinKeyCheck, { kind: 'has_association' }>): Finding {
  return makeFinding(view.record, view.definitions, 'missing_join_key', {
    code: joinKeyFindingCode(check),
    field: joinKeyOf(check),
    proposedFix: `Associate ${recordName(view.record)} with at least one ${check.to} (${check.label}).`,
    facts: { check: check.id, associated: check.to, count: 0, stage: view.stage },
  });
}

function missingProperty(view: StagedRecord, check: Extract<JoinKeyCheck, { kind: 'non_empty' }>): Finding {
  const why =
    check.atStage === undefined ? `every ${view.object} in scope needs it` : requiredBecause(view, check.atStage);
  return makeFinding(view.record, view.definitions, 'missing_join_key', {
    code: joinKeyFindingCode(check),
    field: joinKeyOf(check),
    proposedFix: `Set \`${check.property}\` on ${recordName(view.record)} — ${why} (${check.label}).`,
    facts: { check: check.id, value: view.record.properties[check.property] ?? null, stage: view.stage },
  });
}

function mismatch(
  view: StagedRecord,
  check: Extract<JoinKeyCheck, { kind: 'matches_association' }>,
  value: string,
  others: readonly AssociatedRecord[],
): Finding {
  const valueOf = (other: AssociatedRecord) => (other.properties?.[check.property] ?? '').trim();
  // By id, then value: the facts must not depend on the order the associations came in.
  const sorted = [...others].sort(
    (a, b) => compareIds(a.id, b.id) || (valueOf(a) < valueOf(b) ? -1 : valueOf(a) > valueOf(b) ? 1 : 0),
  );
  const theirs = sorted.map(
    (other) => `${check.to} ${other.id}: ${valueOf(other) === '' ? 'empty' : `"${valueOf(other)}"`}`,
  );
  return makeFinding(view.record, view.definitions, 'join_key_mismatch', {
    code: joinKeyFindingCode(check),
    field: joinKeyOf(check),
    proposedFix: `\`${check.property}\` on ${recordName(view.record)} is "${value.trim()}" but no associated ${check.to} has it (${theirs.join(', ')}): correct it here or on the ${check.to} (${check.label}).`,
    facts: {
      check: check.id,
      value: value.trim(),
      associatedIds: sorted.map((other) => other.id),
      associatedValues: sorted.map(valueOf),
    },
  });
}

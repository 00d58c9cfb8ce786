import type { Definitions, StageIntegrityCheck } from '../policy/index.ts';
import { complianceScore, complianceStatus, type ScoreTally } from './compliance.ts';
import type { Finding } from './finding.ts';
import type { RecordInput } from './input.ts';
import { checklistProgress } from './rules/checklist.ts';
import { duplicateOf, type DuplicateMatch } from './rules/duplicates.ts';
import { perDefinitionsAndObject } from './per-definitions.ts';
import type { StagedRecord } from './staged-record.ts';
import { DAY_MS, percent } from './values.ts';

/**
 * Section 8: the values hygiene writes back, in HubSpot's string formats (`true`/`false`, integers
 * as strings, `;`-joined sorted lists). Which properties exist and on which objects is the
 * definitions' `properties.writtenBack`; how each is computed is this registry. A written-back
 * property the registry does not know (the channel properties) belongs to attribution, whose values
 * the caller merges into the same map: the names never overlap.
 *
 * An empty value is absent from the map ("not written"). Every property here except
 * `clr_duplicate_of` is a compliance property, written only for records in scope; `clr_duplicate_of`
 * follows the duplicate check, which has no scope (companies have no stage).
 */
export type PropertyValuesOut = Record<string, string>;

export type HygieneOutcome = {
  readonly record: RecordInput;
  /** The record's view when it is in scope. */
  readonly view: StagedRecord | undefined;
  readonly findings: readonly Finding[];
  readonly tally: ScoreTally;
  readonly duplicates: readonly DuplicateMatch[];
};

type InScope = (outcome: HygieneOutcome, view: StagedRecord) => string | undefined;
type AnyScope = (outcome: HygieneOutcome) => string | undefined;

const IN_SCOPE: Record<string, InScope> = {
  clr_compliance_status: (o, view) => complianceStatus(o.findings, view.definitions.findings),
  clr_compliance_score: (o) => String(complianceScore(o.tally)),
  clr_missing_fields: (o) => joined(fieldsOf(o.findings, ['missing_field'])),
  clr_missing_join_keys: (o) => joined(fieldsOf(o.findings, ['missing_join_key', 'join_key_mismatch'])),
  clr_stage_integrity: (o, view) => stageIntegrity(o.findings, view.definitions),
  clr_sla_breached: (o) => String(o.findings.some((finding) => finding.kind === 'sla_breached')),
  clr_days_in_stage: (_, view) => daysInStage(view),
  clr_handoff_pct: (o, view) => handoff(o, view, (done, all) => String(percent(done, all))),
  clr_handoff_complete: (o, view) => handoff(o, view, (done, all) => String(done === all)),
};

const ANY_SCOPE: Record<string, AnyScope> = {
  clr_duplicate_of: (o) => duplicateOf(o.duplicates),
};

/** The names this engine computes, so a writer knows which written-back properties hygiene owns. */
export const HYGIENE_PROPERTY_NAMES: readonly string[] = [...Object.keys(IN_SCOPE), ...Object.keys(ANY_SCOPE)];

export function computedProperties(outcome: HygieneOutcome, definitions: Definitions): PropertyValuesOut {
  const values: PropertyValuesOut = {};
  for (const { name, compute } of computedOf(definitions, outcome.record.objectType)) {
    const value = compute(outcome, outcome.view);
    if (value !== undefined && value !== '') values[name] = value;
  }
  return values;
}

/** A written-back property this engine computes, with how. */
type Computed = {
  name: string;
  compute: (outcome: HygieneOutcome, view: StagedRecord | undefined) => string | undefined;
};

/**
 * The written-back properties of an object that this engine computes, in the definitions' order: which
 * ones an object has depends on the definitions alone, so they are read once per definitions and
 * object, not once per record. The compliance properties are written for records in scope only.
 */
const computedOf = perDefinitionsAndObject((definitions, object) => {
  const computed: Computed[] = [];
  for (const { name, objects } of definitions.properties.writtenBack) {
    if (!objects.includes(object)) continue;
    if (Object.hasOwn(ANY_SCOPE, name)) computed.push({ name, compute: ANY_SCOPE[name]! });
    else if (Object.hasOwn(IN_SCOPE, name)) {
      const inScope = IN_SCOPE[name]!;
      computed.push({ name, compute: (outcome, view) => (view === undefined ? undefined : inScope(outcome, view)) });
    }
  }
  return computed;
});

function fieldsOf(findings: readonly Finding[], kinds: readonly Finding['kind'][]): string[] {
  const fields: string[] = [];
  for (const f of findings) if (f.field !== undefined && kinds.includes(f.kind)) fields.push(f.field);
  return fields;
}

/** Distinct, sorted in plain string order, joined with `;`. */
function joined(values: readonly string[]): string {
  if (values.length < 2) return values.length === 0 ? '' : values[0]!;
  return [...new Set(values)].sort().join(';');
}

const INTEGRITY_VALUE: Record<StageIntegrityCheck, string> = {
  skipped: 'skipped_stage',
  backward: 'backward_move',
  out_of_order: 'out_of_order',
};

/** The first kind of stage gap present, in the precedence of `stageIntegrity.checks`; else `ok`. */
function stageIntegrity(findings: readonly Finding[], definitions: Definitions): string {
  if (!findings.some((f) => f.kind === 'stage_gap')) return 'ok';
  const present = new Set(findings.filter((f) => f.kind === 'stage_gap').map((f) => f.code.split(':')[1]));
  const first = definitions.stageIntegrity.checks.find((check) => present.has(check));
  return first === undefined ? 'ok' : INTEGRITY_VALUE[first];
}

/**
 * Whole days from the current stage's entered-at to `now`; empty when it was not entered. An
 * entered-at after `now` (future-dated data) gives 0, never a negative count of days.
 */
function daysInStage(view: StagedRecord): string | undefined {
  const entered = view.entered.get(view.stage);
  return entered === undefined ? undefined : String(Math.floor(Math.max(0, view.now - entered) / DAY_MS));
}

// The property names say which checklist they measure: clr_handoff_* is the `handoff` checklist.
const HANDOFF = 'handoff';

function handoff(
  outcome: HygieneOutcome,
  view: StagedRecord,
  format: (done: number, all: number) => string,
): string | undefined {
  const checklist = handoffOf(view.definitions, view.object);
  if (checklist === undefined) return undefined;
  const { done } = checklistProgress(checklist, outcome.record.checklistItems);
  return format(done.length, checklist.items.length);
}

const handoffOf = perDefinitionsAndObject((definitions, object) =>
  definitions.checklists.find((c) => c.id === HANDOFF && c.object === object),
);

import type { CrmObject, Definitions } from '../policy/index.ts';
import type { ScoreTally } from './compliance.ts';
import { computedProperties, type PropertyValuesOut } from './computed-properties.ts';
import { canonicalFindings, type Finding } from './finding.ts';
import type { RecordInput } from './input.ts';
import { combine, type RuleResult } from './rule-result.ts';
import { checklistResult } from './rules/checklist.ts';
import { duplicateResult, findDuplicates, recordKey, type DuplicateMatch } from './rules/duplicates.ts';
import { joinKeyResult } from './rules/join-keys.ts';
import { picklistResult } from './rules/picklists.ts';
import { requiredFieldResult } from './rules/required-fields.ts';
import { slaOutcomes, slaResult, type SlaOutcome } from './rules/slas.ts';
import { stageIntegrityResult } from './rules/stage-integrity.ts';
import { stagedRecord, type StagedRecord } from './staged-record.ts';
import { compareIds, instantOf } from './values.ts';

/**
 * The hygiene engine: every rule of the definitions over one record, or over a portal. Pure and
 * deterministic: the same records, definitions and `now` give the same result whatever order the
 * records, their associations or their history come in.
 */
export type RecordEvaluation = {
  readonly objectType: CrmObject;
  readonly objectId: string;
  readonly ownerId?: string;
  /** In scope (section 1): the checks apply and compliance properties are written. */
  readonly inScope: boolean;
  /** The current closed-loop stage; null out of scope. */
  readonly stage: string | null;
  /** Sorted by code, one per code. */
  readonly findings: Finding[];
  /** Section 8's hygiene values; a property absent is empty ("not written"). */
  readonly properties: PropertyValuesOut;
  /** The checks behind `clr_compliance_score`. */
  readonly score: ScoreTally;
  /** The SLAs whose clock has started on the record, breached or not (the base of SLA compliance). */
  readonly slas: readonly SlaOutcome[];
};

export type EvaluateOptions = {
  /**
   * The record's duplicate matches (`findDuplicates` over the portal, or over the records sharing its
   * normalised key). Without them the record is evaluated as having no duplicate.
   */
  readonly duplicates?: readonly DuplicateMatch[];
};

/** The per-record families, in the order their findings are reported when two share a code. */
const FAMILIES: readonly ((view: StagedRecord) => RuleResult)[] = [
  requiredFieldResult,
  picklistResult,
  checklistResult,
  joinKeyResult,
  stageIntegrityResult,
  slaResult,
];

export function evaluateRecord(
  record: RecordInput,
  definitions: Definitions,
  now: Date | string,
  options: EvaluateOptions = {},
): RecordEvaluation {
  const view = stagedRecord(record, definitions, instantOf(now));
  const duplicates = options.duplicates ?? [];
  const results: RuleResult[] = [];
  if (view !== undefined) for (const family of FAMILIES) results.push(family(view));
  results.push(duplicateResult(record, duplicates, definitions));
  const result = combine(results);
  const findings = canonicalFindings(result.findings);
  const score = { applicable: result.applicable, passed: result.passed };
  const properties = computedProperties({ record, view, findings, tally: score, duplicates }, definitions);
  const slas = view === undefined ? [] : slaOutcomes(view);
  // Two literals rather than a spread of the optional owner: the same keys in the same order.
  return record.ownerId === undefined
    ? {
        objectType: record.objectType,
        objectId: record.id,
        inScope: view !== undefined,
        stage: view?.stage ?? null,
        findings,
        properties,
        score,
        slas,
      }
    : {
        objectType: record.objectType,
        objectId: record.id,
        ownerId: record.ownerId,
        inScope: view !== undefined,
        stage: view?.stage ?? null,
        findings,
        properties,
        score,
        slas,
      };
}

/** Every record of a portal (or a batch that holds every member of its duplicate groups), sorted by object and id. */
export function evaluatePortal(
  records: Iterable<RecordInput>,
  definitions: Definitions,
  now: Date | string,
): RecordEvaluation[] {
  const list = [...records];
  const duplicates = findDuplicates(list, definitions.duplicates);
  return list
    .map((record) => evaluateRecord(record, definitions, now, { duplicates: duplicates.get(recordKey(record)) ?? [] }))
    .sort(byRecord);
}

function byRecord(a: RecordEvaluation, b: RecordEvaluation): number {
  if (a.objectType !== b.objectType) return a.objectType < b.objectType ? -1 : 1;
  return compareIds(a.objectId, b.objectId);
}

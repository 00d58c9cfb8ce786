import { normaliseKey, type Definitions, type DuplicateRule, type NormaliseStep } from '../../policy/index.ts';
import type { Finding } from '../finding.ts';
import type { RecordInput } from '../input.ts';
import { makeFinding, type RuleResult } from '../rule-result.ts';
import { recordName } from '../staged-record.ts';
import { compareIds } from '../values.ts';

/**
 * Section 4's duplicates, set-wise over the portal: each rule groups the records of its object by the
 * normalised value of its property in one pass (empty keys take no part); in a group of two or more,
 * the survivor is the lowest numeric id and every other member gets `duplicate:<survivor id>`.
 *
 * The rows name no scope ("every contact with a non-empty email", and companies have none), so every
 * record of the object takes part, in scope or not. Duplicates are not part of the compliance score.
 */
export type DuplicateCandidate = Pick<RecordInput, 'objectType' | 'id' | 'properties'>;

/** One record's membership of a duplicate group, as a non-survivor. */
export type DuplicateMatch = {
  readonly rule: string;
  readonly property: string;
  /** The normalised value the group shares. */
  readonly key: string;
  readonly survivorId: string;
  readonly groupSize: number;
};

/** `contact:1241`: how duplicate matches are keyed. */
export function recordKey(record: Pick<RecordInput, 'objectType' | 'id'>): string {
  return `${record.objectType}:${record.id}`;
}

/**
 * Every non-survivor of every duplicate group, keyed by `recordKey`. The records are read once (so they
 * may come one at a time from a large portal, never all held at once): each is grouped under every
 * rule of its object, then the rules' groups are read in rule order.
 */
export function findDuplicates(
  records: Iterable<DuplicateCandidate>,
  rules: readonly DuplicateRule[],
): Map<string, DuplicateMatch[]> {
  const grouping = new DuplicateGrouping(rules);
  for (const record of records) grouping.add(record);
  return grouping.matches();
}

/**
 * `findDuplicates` a record at a time, for records that arrive in pages (a large portal's, read from
 * the mirror): only the groups are held, not the records.
 */
export class DuplicateGrouping {
  readonly #rules: readonly DuplicateRule[];
  // A key seen once (nearly every key of a large portal) holds its id alone, not an array of one: the
  // grouping of a million records is the largest thing a whole-portal evaluation holds in memory.
  readonly #groupsOf: Map<string, string | string[]>[];

  constructor(rules: readonly DuplicateRule[]) {
    this.#rules = rules;
    this.#groupsOf = rules.map(() => new Map());
  }

  add(record: DuplicateCandidate): void {
    for (let r = 0; r < this.#rules.length; r++) {
      const rule = this.#rules[r]!;
      if (record.objectType !== rule.object) continue;
      const key = normaliseKey(record.properties[rule.property], rule.normalise);
      if (key === '') continue;
      const groups = this.#groupsOf[r]!;
      const ids = groups.get(key);
      if (ids === undefined) groups.set(key, record.id);
      else if (typeof ids === 'string') groups.set(key, [ids, record.id]);
      else ids.push(record.id);
    }
  }

  /** Every non-survivor of every group of the records added so far, keyed by `recordKey`. */
  matches(): Map<string, DuplicateMatch[]> {
    const matches = new Map<string, DuplicateMatch[]>();
    for (let r = 0; r < this.#rules.length; r++) {
      const rule = this.#rules[r]!;
      for (const [key, ids] of this.#groupsOf[r]!) {
        if (typeof ids === 'string') continue;
        const members = [...new Set(ids)];
        if (members.length < 2) continue;
        const survivorId = members.reduce((lowest, id) => (compareIds(id, lowest) < 0 ? id : lowest));
        for (const id of members) {
          if (id === survivorId) continue;
          const match = { rule: rule.id, property: rule.property, key, survivorId, groupSize: members.length };
          const at = recordKey({ objectType: rule.object, id });
          const existing = matches.get(at);
          if (existing === undefined) matches.set(at, [match]);
          else existing.push(match);
        }
      }
    }
    return matches;
  }
}

export function duplicateResult(
  record: Pick<RecordInput, 'objectType' | 'id'>,
  matches: readonly DuplicateMatch[],
  definitions: Definitions,
): RuleResult {
  const findings = matches.map((match) => duplicateFinding(record, match, definitions));
  return { findings, applicable: 0, passed: 0 };
}

/** The survivor a record is a duplicate of: the lowest, should several rules disagree. */
export function duplicateOf(matches: readonly DuplicateMatch[]): string | undefined {
  return matches.map((match) => match.survivorId).sort(compareIds)[0];
}

function duplicateFinding(
  record: Pick<RecordInput, 'objectType' | 'id'>,
  match: DuplicateMatch,
  definitions: Definitions,
): Finding {
  const rule = definitions.duplicates.find((candidate) => candidate.id === match.rule);
  const how = describeSteps(rule?.normalise ?? []);
  return makeFinding(record, definitions, 'duplicate', {
    code: `duplicate:${match.survivorId}`,
    field: match.property,
    proposedFix: `Merge ${recordName(record)} into ${record.objectType} ${match.survivorId}: both have ${match.property} ${match.key}${how}.`,
    facts: {
      rule: match.rule,
      property: match.property,
      key: match.key,
      survivorId: match.survivorId,
      groupSize: match.groupSize,
    },
  });
}

const STEP_WORDS: Record<NormaliseStep, string> = {
  trim: 'trimmed',
  lowercase: 'lower-cased',
  strip_leading_www: 'without a leading www.',
};

function describeSteps(steps: readonly NormaliseStep[]): string {
  return steps.length === 0 ? '' : ` (${steps.map((step) => STEP_WORDS[step]).join(', ')})`;
}

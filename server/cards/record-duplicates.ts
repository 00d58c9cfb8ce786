import {
  findDuplicates,
  recordKey,
  type DuplicateCandidate,
  type DuplicateMatch,
  type RecordInput,
} from '../domain/hygiene/index.ts';
import {
  HUBSPOT_OBJECT_TYPE,
  normaliseKey,
  type CrmObject,
  type Definitions,
  type DuplicateRule,
} from '../domain/policy/index.ts';
import type { CardReads } from './batched-reads.ts';

/**
 * The candidates of one lookup read already (the snapshot reads a contact's email peers): the records
 * of `object` whose `property`, lower-cased and trimmed of spaces, equals `key`, lowest ids first.
 */
export type ReadCandidates = {
  object: CrmObject;
  property: string;
  key: string;
  candidates: { id: string; value: string | null }[];
};

/** One duplicate rule as it applies to a record: the other records sharing its key, and its matches. */
export type RecordDuplicates = {
  /** The record's matches as a non-survivor (empty: it is no duplicate, or the survivor). */
  matches: DuplicateMatch[];
  groups: { rule: DuplicateRule; key: string; memberIds: string[] }[];
};

/**
 * A record's duplicate groups, found among the few records that could share its key rather than over
 * the whole portal: candidates are looked up by the value lower-cased and trimmed of spaces (with and
 * without a leading `www.` where the rule strips it), then the rule's own normalisation decides.
 */
export async function recordDuplicates(
  reads: CardReads,
  portalId: number,
  definitions: Definitions,
  record: RecordInput,
  readAlready?: ReadCandidates,
): Promise<RecordDuplicates> {
  const rules = definitions.duplicates.flatMap((rule) => {
    if (rule.object !== record.objectType) return [];
    const key = normaliseKey(record.properties[rule.property], rule.normalise);
    return key === '' ? [] : [{ rule, key }];
  });
  // The rules' lookups go out together; their groups are taken in the rules' order.
  const found = await Promise.all(
    rules.map(({ rule, key }) => {
      const keys = [key, ...(rule.normalise.includes('strip_leading_www') ? [`www.${key}`] : [])].map((k) =>
        k.trim().toLowerCase(),
      );
      // What the snapshot read is this very lookup when it names the same property and key.
      if (
        readAlready !== undefined &&
        rule.object === readAlready.object &&
        rule.property === readAlready.property &&
        keys.length === 1 &&
        keys[0] === readAlready.key
      )
        return readAlready.candidates;
      return reads.duplicateCandidates(HUBSPOT_OBJECT_TYPE[rule.object], rule.property, { portalId, keys });
    }),
  );
  const result: RecordDuplicates = { matches: [], groups: [] };
  for (const [i, { rule, key }] of rules.entries()) {
    const candidates: DuplicateCandidate[] = [
      record,
      ...found[i]!.filter((row) => row.id !== record.id).map((row) => ({
        objectType: rule.object,
        id: row.id,
        properties: { [rule.property]: row.value },
      })),
    ];
    const memberIds = candidates
      .filter((c) => normaliseKey(c.properties[rule.property], rule.normalise) === key)
      .map((c) => c.id);
    result.matches.push(...(findDuplicates(candidates, [rule]).get(recordKey(record)) ?? []));
    result.groups.push({ rule, key, memberIds });
  }
  return result;
}

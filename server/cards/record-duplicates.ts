import type { Queryable } from '../db/pool.ts';
import { duplicateCandidates } from '../db/repositories/card-reads.ts';
import {
  findDuplicates,
  recordKey,
  type DuplicateCandidate,
  type DuplicateMatch,
  type RecordInput,
} from '../domain/hygiene/index.ts';
import { HUBSPOT_OBJECT_TYPE, normaliseKey, type Definitions, type DuplicateRule } from '../domain/policy/index.ts';

/** How many records sharing a key the card looks at; a group larger than this is shown cut short. */
export const MAX_GROUP = 51;

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
  db: Queryable,
  portalId: number,
  definitions: Definitions,
  record: RecordInput,
): Promise<RecordDuplicates> {
  const result: RecordDuplicates = { matches: [], groups: [] };
  for (const rule of definitions.duplicates) {
    if (rule.object !== record.objectType) continue;
    const key = normaliseKey(record.properties[rule.property], rule.normalise);
    if (key === '') continue;
    const lookups = [key, ...(rule.normalise.includes('strip_leading_www') ? [`www.${key}`] : [])].map((k) =>
      k.trim().toLowerCase(),
    );
    const rows = await duplicateCandidates(
      db,
      portalId,
      HUBSPOT_OBJECT_TYPE[rule.object],
      rule.property,
      lookups,
      MAX_GROUP,
    );
    const candidates: DuplicateCandidate[] = [
      record,
      ...rows
        .filter((row) => row.id !== record.id)
        .map((row) => ({ objectType: rule.object, id: row.id, properties: { [rule.property]: row.value } })),
    ];
    const memberIds = candidates
      .filter((c) => normaliseKey(c.properties[rule.property], rule.normalise) === key)
      .map((c) => c.id);
    result.matches.push(...(findDuplicates(candidates, [rule]).get(recordKey(record)) ?? []));
    result.groups.push({ rule, key, memberIds });
  }
  return result;
}

import type { Queryable } from '../db/pool.ts';
import { DuplicateGrouping, type DuplicateMatch } from '../domain/hygiene/index.ts';
import type { DuplicateRule } from '../domain/policy/index.ts';
import { candidatesOf, duplicateCandidatePages } from './load-records.ts';

/**
 * The duplicate groups of a whole portal under `rules` (`findDuplicates` over every record they
 * compare), grouped page by page as the candidates are read: a page is garbage once grouped, so what
 * is held is the groups, not the portal's candidates as well (about half the peak of a 1M-record
 * portal's search).
 */
export async function findPortalDuplicates(
  db: Queryable,
  portalId: number,
  rules: readonly DuplicateRule[],
  options: { pageSize?: number } = {},
): Promise<Map<string, DuplicateMatch[]>> {
  const grouping = new DuplicateGrouping(rules);
  for await (const page of duplicateCandidatePages(db, portalId, rules, options))
    for (const candidate of candidatesOf(page)) grouping.add(candidate);
  return grouping.matches();
}

import type { Queryable } from '../db/pool.ts';
import { listDecisions as queryDecisions } from '../db/repositories/decisions.ts';
import type { Decision } from '../domain/metrics/index.ts';
import { ListDecisionsQuery } from './contracts.ts';
import { parseInput } from './errors.ts';

/** A portal's decision log, open actions first, narrowed by status, owner, subject and due date. */
export async function listDecisions(db: Queryable, portalId: number, query: unknown = {}): Promise<Decision[]> {
  const filter = parseInput(ListDecisionsQuery, query);
  return queryDecisions(db, portalId, {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.owner ? { owner: filter.owner } : {}),
    ...(filter.subjectKind ? { subjectKind: filter.subjectKind } : {}),
    ...(filter.subjectKey ? { subjectKey: filter.subjectKey } : {}),
    ...(filter.dueBy ? { dueBy: filter.dueBy } : {}),
    limit: filter.limit,
  });
}

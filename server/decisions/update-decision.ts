import type { Queryable } from '../db/pool.ts';
import { findDecision, updateDecision as storeUpdate } from '../db/repositories/decisions.ts';
import { decisionProblems, type Decision } from '../domain/metrics/index.ts';
import { DecisionId, UpdateDecisionInput } from './contracts.ts';
import { DecisionInputError, DecisionNotFound, parseInput } from './errors.ts';

/**
 * Changes an action of a portal's decision log: its topic, owner, due date, status or outcome. Closing
 * it (done or dropped) needs an outcome, given now or earlier; reopening clears the close time.
 */
export async function updateDecision(
  db: Queryable,
  portalId: number,
  rawId: unknown,
  input: unknown,
  now: Date,
): Promise<Decision> {
  const idCheck = DecisionId.safeParse(rawId);
  if (!idCheck.success) throw new DecisionInputError([{ path: 'id', message: 'must be a decision id' }]);
  const id = idCheck.data;
  const changes = parseInput(UpdateDecisionInput, input);
  const existing = await findDecision(db, portalId, id);
  if (!existing) throw new DecisionNotFound(portalId, id);
  const problems = decisionProblems({
    status: changes.status ?? existing.status,
    outcome: changes.outcome === undefined ? existing.outcome : changes.outcome,
  });
  if (problems.length > 0) throw new DecisionInputError(problems);
  const updated = await storeUpdate(db, portalId, id, changes, now);
  if (!updated) throw new DecisionNotFound(portalId, id);
  return updated;
}

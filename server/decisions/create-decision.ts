import type { Queryable } from '../db/pool.ts';
import { insertDecision } from '../db/repositories/decisions.ts';
import { decisionProblems, type Decision } from '../domain/metrics/index.ts';
import { CreateDecisionInput } from './contracts.ts';
import { DecisionInputError, parseInput } from './errors.ts';

/**
 * Adds an action to a portal's decision log. `input` is checked here (DecisionInputError names each
 * problem); `now` is when it was decided.
 */
export async function createDecision(db: Queryable, portalId: number, input: unknown, now: Date): Promise<Decision> {
  const decision = parseInput(CreateDecisionInput, input);
  const problems = decisionProblems(decision);
  if (problems.length > 0) throw new DecisionInputError(problems);
  const created = await insertDecision(db, portalId, decision, now);
  // Without a source key the insert cannot conflict, so it always returns the row.
  if (!created) throw new Error(`decision of portal ${portalId} was not stored`);
  return created;
}

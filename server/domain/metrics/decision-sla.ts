import { round4 } from './action-rate.ts';
import { dueEnd, type DecisionStatus } from './decision.ts';

/**
 * Decision SLA v1: of the actions that fell due in a period, the share closed by their due date.
 *
 * - The **base** is every action whose due date lies in `[from, to)` (calendar days, UTC) and whose
 *   outcome is known at `asOf`: it is closed (done or dropped: dropping is a decision too), or it is
 *   still open after its due date ended. An action still open before its due date has passed is not
 *   decided yet and stays out.
 * - **Met**: closed no later than the end of its due day (UTC).
 * - Decision SLA = met / base; `null` when the base is empty.
 */
export type ActionForSla = { dueOn: string; status: DecisionStatus; closedAt: number | null };

export type DecisionSla = { due: number; metOnTime: number; rate: number | null };

export function decisionSla(input: {
  from: number;
  to: number;
  asOf: number;
  actions: readonly ActionForSla[];
}): DecisionSla {
  let due = 0;
  let metOnTime = 0;
  for (const action of input.actions) {
    const dueAt = Date.parse(`${action.dueOn}T00:00:00.000Z`);
    if (dueAt < input.from || dueAt >= input.to) continue;
    const end = dueEnd(action.dueOn);
    const closed = action.status !== 'open' && action.closedAt !== null && action.closedAt <= input.asOf;
    if (!closed && input.asOf < end) continue;
    due++;
    if (closed && action.closedAt! < end) metOnTime++;
  }
  return { due, metOnTime, rate: due === 0 ? null : round4(metOnTime / due) };
}

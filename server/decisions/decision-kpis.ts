import type { Queryable } from '../db/pool.ts';
import { decisionsForPeriod } from '../db/repositories/decisions.ts';
import { listDigests } from '../db/repositories/digests.ts';
import { actionRate, decisionSla, WeeklyDigest, type ActionRate, type DecisionSla } from '../domain/metrics/index.ts';

export type DecisionKpis = { actionRate: ActionRate; decisionSla: DecisionSla };

/**
 * Action Rate and Decision SLA of a portal over `[from, to)`, as known at `asOf` (definitions in
 * server/domain/metrics/action-rate.ts and decision-sla.ts): the digests of the period and the actions
 * that can count for it, handed to the domain.
 */
export async function decisionKpis(
  db: Queryable,
  portalId: number,
  from: Date,
  to: Date,
  asOf: Date,
): Promise<DecisionKpis> {
  const digests = await listDigests(db, portalId, { from, to });
  const actions = await decisionsForPeriod(db, portalId, from, to);
  return {
    actionRate: actionRate({
      from: from.getTime(),
      to: to.getTime(),
      digests: digests.map((d) => ({
        generatedAt: d.generatedAt.getTime(),
        items: WeeklyDigest.shape.items.parse((d.body as { items?: unknown }).items),
      })),
      actions: actions.map((a) => ({
        subject: a.subject,
        createdAt: a.createdAt.getTime(),
        closedAt: a.closedAt?.getTime() ?? null,
      })),
    }),
    decisionSla: decisionSla({
      from: from.getTime(),
      to: to.getTime(),
      asOf: asOf.getTime(),
      actions: actions.map((a) => ({ dueOn: a.dueOn, status: a.status, closedAt: a.closedAt?.getTime() ?? null })),
    }),
  };
}

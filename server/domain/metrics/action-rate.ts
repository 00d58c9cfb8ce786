import { subjectId, type DecisionSubject } from './decision.ts';

/**
 * Action Rate v1: of what the weekly digests put in front of the team during a period, the share that
 * got an action in the decision log.
 *
 * - The **items** of a period are the distinct subjects raised by the digests generated in `[from, to)`
 *   (each digest's `items`: every finding code with open findings, every SLA with a breach). An item
 *   raised by several weekly digests counts once, from the first of them (`firstRaisedAt`).
 * - An item **got an action** when the log holds an action on the same subject (same kind and key)
 *   that was created before `to` and was still open at `firstRaisedAt` or later, i.e. not closed
 *   before the item was raised: a new action, or one already under way, both answer the digest.
 * - Action Rate = items with an action / items; `null` when no digest of the period raised anything.
 */
export type DigestItems = { generatedAt: number; items: readonly DecisionSubject[] };
export type ActionForRate = { subject: DecisionSubject; createdAt: number; closedAt: number | null };

export type ActionRate = { items: number; actioned: number; rate: number | null };

export function actionRate(input: {
  from: number;
  to: number;
  digests: readonly DigestItems[];
  actions: readonly ActionForRate[];
}): ActionRate {
  const firstRaised = new Map<string, number>();
  for (const digest of input.digests) {
    if (digest.generatedAt < input.from || digest.generatedAt >= input.to) continue;
    for (const item of digest.items) {
      const id = subjectId(item);
      const seen = firstRaised.get(id);
      if (seen === undefined || digest.generatedAt < seen) firstRaised.set(id, digest.generatedAt);
    }
  }
  const actionsBySubject = new Map<string, ActionForRate[]>();
  for (const action of input.actions) {
    const id = subjectId(action.subject);
    actionsBySubject.set(id, [...(actionsBySubject.get(id) ?? []), action]);
  }
  let actioned = 0;
  for (const [id, raisedAt] of firstRaised) {
    const covered = (actionsBySubject.get(id) ?? []).some(
      (a) => a.createdAt < input.to && (a.closedAt === null || a.closedAt >= raisedAt),
    );
    if (covered) actioned++;
  }
  const items = firstRaised.size;
  return { items, actioned, rate: items === 0 ? null : round4(actioned / items) };
}

export const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

import { evaluatePendingChanges } from '../../server/hygiene/evaluate-changes.ts';
import { hygieneChanges } from '../../server/jobs/hygiene-changes.job.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';

/** Re-evaluates what changed in one portal's mirror; `clock` pins "now" (the demo runs at its fixture's). */
export function hygieneChangesProcessor(deps: { clock?: () => Date } = {}): ProcessorEntry {
  return defineProcessor(hygieneChanges, async ({ portalId }, context) => {
    const summary = await evaluatePendingChanges(context.db, portalId, {
      now: deps.clock?.() ?? new Date(),
      signal: context.signal,
    });
    context.log.info({ portalId, ...summary }, 'hygiene caught up with changes');
  });
}

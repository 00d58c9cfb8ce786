import { loopReview } from '../../server/jobs/loop-review.job.ts';
import { remindDefinitionsReview } from '../../server/loops/remind-definitions-review.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';

/** The quarter's reminder to review one portal's definitions, once per quarter of `clock()`. */
export function loopReviewProcessor(deps: { clock?: () => Date } = {}): ProcessorEntry {
  return defineProcessor(loopReview, async ({ portalId }, context) => {
    const { decision, created } = await remindDefinitionsReview(context.db, portalId, deps.clock?.() ?? new Date());
    context.log.info(
      { portalId, decisionId: decision.id, dueOn: decision.dueOn },
      created ? 'definitions review reminder added' : 'definitions review reminder already added',
    );
  });
}

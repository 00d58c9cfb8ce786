import { evaluatePortalHygiene } from '../../server/hygiene/evaluate-portal.ts';
import { hygieneEvaluate } from '../../server/jobs/hygiene-evaluate.job.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';

/** Runs a full evaluation of one portal; `clock` is the edge where "now" enters (the demo pins it). */
export function hygieneEvaluateProcessor(deps: { clock?: () => Date } = {}): ProcessorEntry {
  return defineProcessor(hygieneEvaluate, async ({ portalId }, context) => {
    const summary = await evaluatePortalHygiene(context.db, portalId, {
      now: deps.clock?.() ?? new Date(),
      onProgress: (objectType, records) => context.log.debug({ portalId, objectType, records }, 'hygiene progress'),
    });
    context.log.info({ portalId, ...summary }, 'hygiene evaluated');
  });
}

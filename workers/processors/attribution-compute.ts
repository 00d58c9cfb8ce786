import { attributePortal } from '../../server/attribution/attribute-portal.ts';
import { attributionCompute } from '../../server/jobs/attribution-compute.job.ts';
import { reportingRefresh } from '../../server/jobs/reporting-refresh.job.ts';
import { enqueue } from '../../server/queue/enqueue.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';

/** Recomputes one portal's attribution; `clock` is where "now" enters (the demo pins it). */
export function attributionComputeProcessor(deps: { clock?: () => Date } = {}): ProcessorEntry {
  return defineProcessor(attributionCompute, async ({ portalId }, context) => {
    const summary = await attributePortal(context.db, portalId, { now: deps.clock?.() ?? new Date() });
    context.log.info({ portalId, touches: summary.touches, creditRows: summary.creditRows }, 'attribution computed');
    await enqueue(context, reportingRefresh, { portalId }, { runKey: `after-${context.jobId.replace(/[/:]/g, '-')}` });
  });
}

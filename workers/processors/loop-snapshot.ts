import { loopSnapshot } from '../../server/jobs/loop-snapshot.job.ts';
import { takeMonthlySnapshot } from '../../server/loops/take-monthly-snapshot.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';

/** The month's KPI snapshot of one portal, once per month of `clock()`. */
export function loopSnapshotProcessor(deps: { clock?: () => Date } = {}): ProcessorEntry {
  return defineProcessor(loopSnapshot, async ({ portalId }, context) => {
    const { snapshot, created } = await takeMonthlySnapshot(context.db, portalId, deps.clock?.() ?? new Date());
    context.log.info(
      { portalId, month: snapshot.month },
      created ? 'monthly KPI snapshot taken' : 'monthly KPI snapshot already taken',
    );
  });
}

import { reportingRefresh } from '../../server/jobs/reporting-refresh.job.ts';
import { refreshReporting } from '../../server/reporting/refresh-reporting.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';

/** Rebuilds one portal's reporting tables; `clock` pins "now" (the demo). */
export function reportingRefreshProcessor(deps: { clock?: () => Date } = {}): ProcessorEntry {
  return defineProcessor(reportingRefresh, async ({ portalId }, context) => {
    const result = await refreshReporting(context.db, portalId, { now: deps.clock?.() ?? new Date() });
    context.log.info({ portalId, ...result }, 'reporting refreshed');
  });
}

import type { PortalHubSpotClient } from '../../server/hubspot/portal-client.ts';
import { writebackRun } from '../../server/jobs/writeback-run.job.ts';
import { writeBack } from '../../server/writeback/write-back.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';

/** Writes one portal's changed values back; records HubSpot refused are logged and tried again next run. */
export function writebackRunProcessor(deps: { clientFor: (portalId: number) => PortalHubSpotClient }): ProcessorEntry {
  return defineProcessor(writebackRun, async ({ portalId }, context) => {
    const report = await writeBack(context.db, deps.clientFor(portalId), portalId);
    if (report.failed.length > 0) context.log.warn({ portalId, failed: report.failed }, 'HubSpot refused some values');
    context.log.info({ portalId, calls: report.calls, records: report.records }, 'written back');
  });
}

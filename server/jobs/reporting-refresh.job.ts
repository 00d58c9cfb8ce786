import type { JobDefinition } from './definition.ts';
import { PortalPayload } from './portal-payload.ts';

/**
 * Rebuilds a portal's reporting tables after a loop: queued by attribution (whole portal: keyed by that
 * job; changes: one per quarter hour at most, since a rebuild reads the whole portal).
 */
export const reportingRefresh = {
  name: 'reporting.refresh',
  queue: 'hygiene',
  payload: PortalPayload,
  defaultOptions: { attempts: 3, backoff: { type: 'exponential', delayMs: 30_000 } },
  jobId: (payload, runKey) => `reporting.refresh/${payload.portalId}/${runKey}`,
} as const satisfies JobDefinition<'reporting.refresh', typeof PortalPayload>;

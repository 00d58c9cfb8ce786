import type { JobDefinition } from './definition.ts';
import { PortalPayload } from './portal-payload.ts';

/**
 * Writes a portal's changed computed values back to HubSpot. Safe to repeat: only values that differ
 * from the ledger are written, so a retry after a partial run writes the rest.
 */
export const writebackRun = {
  name: 'writeback.run',
  queue: 'writeback',
  payload: PortalPayload,
  defaultOptions: { attempts: 5, backoff: { type: 'exponential', delayMs: 30_000 } },
  jobId: (payload, runKey) => `writeback.run/${payload.portalId}/${runKey}`,
} as const satisfies JobDefinition<'writeback.run', typeof PortalPayload>;

import type { JobDefinition } from './definition.ts';
import { PortalPayload } from './portal-payload.ts';

/**
 * The quarterly reminder to review a portal's definitions: an action in the decision log, once per
 * quarter. Scheduled on the first day of each quarter; cheap, so it travels with the housekeeping.
 */
export const loopReview = {
  name: 'loop.review',
  queue: 'maintenance',
  payload: PortalPayload,
  defaultOptions: { attempts: 3, backoff: { type: 'exponential', delayMs: 60_000 } },
  jobId: (payload, runKey) => `loop.review/${payload.portalId}/${runKey}`,
} as const satisfies JobDefinition<'loop.review', typeof PortalPayload>;

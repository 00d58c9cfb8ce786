import type { JobDefinition } from './definition.ts';
import { PortalPayload } from './portal-payload.ts';

/**
 * Re-evaluates what changed in a portal's mirror since hygiene last looked (the change log), after a
 * sync or a webhook batch. The run key is the newest change id at enqueue time, so a burst of
 * enqueues for the same changes makes one job, and changes arriving while it runs make another.
 */
export const hygieneChanges = {
  name: 'hygiene.changes',
  queue: 'hygiene',
  payload: PortalPayload,
  defaultOptions: { attempts: 5, backoff: { type: 'exponential', delayMs: 5_000 } },
  jobId: (payload, runKey) => `hygiene.changes/${payload.portalId}/${runKey}`,
} as const satisfies JobDefinition<'hygiene.changes', typeof PortalPayload>;

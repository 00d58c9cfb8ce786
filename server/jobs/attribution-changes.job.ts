import type { JobDefinition } from './definition.ts';
import { PortalPayload } from './portal-payload.ts';

/**
 * Recomputes the credits of the deals whose touches, contacts, amount, stage or associations changed
 * since attribution last looked (the change log). Run key as for `hygiene.changes`.
 */
export const attributionChanges = {
  name: 'attribution.changes',
  queue: 'hygiene',
  payload: PortalPayload,
  defaultOptions: { attempts: 5, backoff: { type: 'exponential', delayMs: 5_000 } },
  jobId: (payload, runKey) => `attribution.changes/${payload.portalId}/${runKey}`,
} as const satisfies JobDefinition<'attribution.changes', typeof PortalPayload>;

import type { JobDefinition } from './definition.ts';
import { PortalPayload } from './portal-payload.ts';

/** Recomputes a portal's touches and credits from the mirror (after a sync, an ingest or a definitions change). */
export const attributionCompute = {
  name: 'attribution.compute',
  queue: 'hygiene',
  payload: PortalPayload,
  defaultOptions: { attempts: 3, backoff: { type: 'exponential', delayMs: 30_000 } },
  jobId: (payload, runKey) => `attribution.compute/${payload.portalId}/${runKey}`,
} as const satisfies JobDefinition<'attribution.compute', typeof PortalPayload>;

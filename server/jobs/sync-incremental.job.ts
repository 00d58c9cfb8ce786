import type { JobDefinition } from './definition.ts';
import { PortalPayload } from './portal-payload.ts';

/**
 * Fetches what changed in a portal since its last checkpoint; runs on each portal's schedule
 * (`job_schedules`). Short backoff and few attempts: the next scheduled run is never far away.
 */
export const syncIncremental = {
  name: 'sync.incremental',
  queue: 'sync-incremental',
  payload: PortalPayload,
  defaultOptions: { attempts: 3, backoff: { type: 'exponential', delayMs: 30_000 } },
  jobId: (payload, runKey) => `sync.incremental/${payload.portalId}/${runKey}`,
} as const satisfies JobDefinition<'sync.incremental', typeof PortalPayload>;

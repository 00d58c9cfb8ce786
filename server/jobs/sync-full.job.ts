import type { JobDefinition } from './definition.ts';
import { PortalPayload } from './portal-payload.ts';

/**
 * Mirrors a portal's whole CRM into Postgres: after install, and when an incremental sync finds its
 * checkpoint too old to resume from. Resumable from `sync_checkpoints`, so a retry continues rather
 * than restarts; few attempts with long backoff because failures are mostly HubSpot outages or
 * revoked tokens, which retrying quickly doesn't fix.
 */
export const syncFull = {
  name: 'sync.full',
  queue: 'sync-full',
  payload: PortalPayload,
  defaultOptions: { attempts: 5, backoff: { type: 'exponential', delayMs: 60_000 } },
  jobId: (payload, runKey) => `sync.full/${payload.portalId}/${runKey}`,
} as const satisfies JobDefinition<'sync.full', typeof PortalPayload>;

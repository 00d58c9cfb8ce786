import type { JobDefinition } from './definition.ts';
import { PortalPayload } from './portal-payload.ts';

/**
 * Checks, hourly, a portal that stopped answering (needs re-auth: HubSpot's uninstall signal) and
 * deletes its data once UNINSTALL_GRACE_HOURS have passed without a reinstall. Scheduled per portal in
 * `job_schedules` when the portal leaves `installed`, so the grace period survives a loss of Redis.
 */
export const portalPurge = {
  name: 'portal.purge',
  queue: 'maintenance',
  payload: PortalPayload,
  defaultOptions: { attempts: 3, backoff: { type: 'exponential', delayMs: 60_000 } },
  jobId: (payload, runKey) => `portal.purge/${payload.portalId}/${runKey}`,
} as const satisfies JobDefinition<'portal.purge', typeof PortalPayload>;

/** The schedule key under which a portal's purge check runs. */
export const PORTAL_PURGE_SCHEDULE = 'portal.purge';
export const PORTAL_PURGE_EVERY_MS = 60 * 60_000;

import type { JobDefinition } from './definition.ts';
import { PortalPayload } from './portal-payload.ts';

/**
 * The weekly hygiene digest of a portal: builds the week's digest (once per ISO week) and delivers its
 * HubSpot tasks to the record owners. Scheduled Mondays (`server/loops/cadence.ts`). Idempotent per
 * week: a retry or a second run finds the week's digest and sends only tasks not yet created. The
 * backoff outlasts the delivery lease, so a retry after a lost answer can look the task up.
 */
export const loopDigest = {
  name: 'loop.digest',
  queue: 'hygiene',
  payload: PortalPayload,
  defaultOptions: { attempts: 5, backoff: { type: 'exponential', delayMs: 60_000 } },
  jobId: (payload, runKey) => `loop.digest/${payload.portalId}/${runKey}`,
} as const satisfies JobDefinition<'loop.digest', typeof PortalPayload>;

import type { JobDefinition } from './definition.ts';
import { PortalPayload } from './portal-payload.ts';

/**
 * The monthly diagnostics snapshot of a portal: its KPIs frozen for trend charts, once per month
 * (a retry or a second run finds the month's snapshot and writes nothing). Scheduled on the 1st.
 */
export const loopSnapshot = {
  name: 'loop.snapshot',
  queue: 'hygiene',
  payload: PortalPayload,
  defaultOptions: { attempts: 3, backoff: { type: 'exponential', delayMs: 60_000 } },
  jobId: (payload, runKey) => `loop.snapshot/${payload.portalId}/${runKey}`,
} as const satisfies JobDefinition<'loop.snapshot', typeof PortalPayload>;

import type { JobDefinition } from './definition.ts';
import { PortalPayload } from './portal-payload.ts';

/**
 * Re-evaluates every record of a portal: after a definitions change (run key: the new version), and
 * daily for the rules that depend on the clock (SLAs, days in stage). Idempotent: it rewrites the issue
 * log from the mirror as it is.
 */
export const hygieneEvaluate = {
  name: 'hygiene.evaluate',
  queue: 'hygiene',
  payload: PortalPayload,
  defaultOptions: { attempts: 3, backoff: { type: 'exponential', delayMs: 30_000 } },
  jobId: (payload, runKey) => `hygiene.evaluate/${payload.portalId}/${runKey}`,
} as const satisfies JobDefinition<'hygiene.evaluate', typeof PortalPayload>;

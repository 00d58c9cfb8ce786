import type { JobDefinition } from './definition.ts';
import { PortalPayload } from './portal-payload.ts';

/**
 * Applies a portal's unprocessed `webhook_inbox` events to the mirror. Enqueued when events arrive;
 * each run drains everything pending, so several drains queued for one portal cost one real pass.
 * More attempts with a short backoff: events should land in the mirror within seconds.
 */
export const webhooksDrain = {
  name: 'webhooks.drain',
  queue: 'webhooks',
  payload: PortalPayload,
  defaultOptions: { attempts: 8, backoff: { type: 'exponential', delayMs: 5_000 } },
  jobId: (payload, runKey) => `webhooks.drain/${payload.portalId}/${runKey}`,
} as const satisfies JobDefinition<'webhooks.drain', typeof PortalPayload>;

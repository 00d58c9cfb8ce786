import type { WebhookEvent } from './event-batch.ts';

/** The change sources HubSpot reports for a write made through the API by an app. */
const APP_SOURCES = new Set(['INTEGRATION', 'API']);

/**
 * Whether HubSpot says this event was caused by the app's own write (the write-back): such events are
 * echoes and must not trigger work. Captured deliveries show `changeSource: "INTEGRATION"` with
 * `sourceId` = the writing app's id; HubSpot does not document it as a contract, so the write-back
 * ledger's value hashes stay the second line of defence.
 */
export function isOwnWrite(event: Pick<WebhookEvent, 'changeSource' | 'sourceId'>, appId: string): boolean {
  return event.changeSource !== undefined && APP_SOURCES.has(event.changeSource) && event.sourceId === appId;
}

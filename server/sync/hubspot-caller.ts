import type { PortalHubSpotClient } from '../hubspot/portal-client.ts';

/**
 * What the sync needs of a portal's client: its `call`, which applies the shared budget, retries,
 * token refresh and error kinds. Narrowed so tests can wrap it (to stop a sync after N calls).
 */
export type HubSpotCaller = Pick<PortalHubSpotClient, 'call'>;

import { currentDefinitions } from '../definitions/current-definitions.ts';
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { ensureFirstDefinitions } from '../db/repositories/definitions.ts';
import { upsertInstalledPortal } from '../db/repositories/portals.ts';
import { DEFAULT_DEFINITIONS } from '../domain/policy/default-policy.ts';
import type { OAuthApi } from '../hubspot/oauth-api.ts';
import type { PortalHubSpotClient } from '../hubspot/portal-client.ts';
import type { TokenVault } from '../hubspot/token-vault.ts';
import { bootstrapProperties, type BootstrapReport } from './bootstrap-properties.ts';
import { propertySpecsOf } from './property-specs.ts';

export type InstallDeps = {
  db: pg.Pool;
  oauth: OAuthApi;
  vault: TokenVault;
  clientFor: (portalId: number) => PortalHubSpotClient;
  redirectUri: string;
  /** Queues the first full sync and the portal's schedules (idempotent: a reinstall queues nothing new). */
  startSync: (portalId: number) => Promise<void>;
};

export type InstallOutcome = {
  portalId: number;
  hubDomain: string | null;
  installedBy: string | null;
  firstInstall: boolean;
  definitionsVersion: number;
  bootstrap: BootstrapReport;
};

/**
 * Finishes an install after HubSpot redirected the admin back with a code: exchanges it for tokens,
 * learns which portal and user it is, records the portal with its tokens sealed, gives it the default
 * definitions (version 1) if it has none, creates the properties they need, and starts the first sync.
 * Every step is idempotent, so a second install of the same portal changes nothing.
 */
export async function completeInstall(deps: InstallDeps, code: string): Promise<InstallOutcome> {
  const grant = await deps.oauth.exchangeCode(code, deps.redirectUri);
  const info = await deps.oauth.tokenInfo(grant.accessToken);
  const portalId = info.hubId;
  const { created } = await withTransaction(deps.db, async (tx) => {
    const result = await upsertInstalledPortal(tx, {
      portalId,
      hubDomain: info.hubDomain,
      scopes: info.scopes,
      installedByUserId: info.userId,
      installedByEmail: info.user,
    });
    await deps.vault.store(portalId, grant, tx);
    await ensureFirstDefinitions(tx, portalId, DEFAULT_DEFINITIONS);
    return result;
  });
  const latest = await currentDefinitions(deps.db, portalId);
  const definitions = latest.definitions;
  const bootstrap = await bootstrapProperties(
    deps.clientFor(portalId),
    propertySpecsOf(definitions),
    definitions.properties.group,
  );
  await deps.startSync(portalId);
  return {
    portalId,
    hubDomain: info.hubDomain,
    installedBy: info.user,
    firstInstall: created,
    definitionsVersion: latest.version,
    bootstrap,
  };
}

import type pg from 'pg';
import type { ContextOptions } from '../../../../server/context.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../../server/sandbox/server.ts';
import type { FullSyncDeps } from '../../../../server/sync/full-sync.ts';
import { browse, startApp, type AppUnderTest } from '../../../helpers/app-under-test.ts';

export type InstalledPortal = {
  sandbox: Sandbox;
  app: AppUnderTest;
  portalId: number;
  /** What `runFullSync` needs, wired as the `sync.full` processor wires it. */
  deps(db: pg.Pool): FullSyncDeps;
  close(): Promise<void>;
};

/** A sandbox portal with the app installed over OAuth, as a HubSpot admin would install it. */
export async function installedPortal(
  databaseUrl: string,
  options: SandboxOptions,
  context: Omit<ContextOptions, 'redisPrefix'> = {},
): Promise<InstalledPortal> {
  const sandbox = await startSandbox(options);
  const app = await startApp({ databaseUrl, hubspotUrl: sandbox.url, context });
  const hops = await browse(`${app.url}/oauth/install`);
  const landing = hops[hops.length - 1]!;
  if (landing.status !== 200) throw new Error(`install failed: ${landing.status} ${await landing.text()}`);
  const portalId = sandbox.portalId;
  return {
    sandbox,
    app,
    portalId,
    deps: (db) => ({ db, client: app.context.clientFor(portalId), counters: app.context.counters }),
    close: async () => {
      await app.close();
      await sandbox.close();
    },
  };
}

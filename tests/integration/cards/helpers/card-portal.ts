import type pg from 'pg';
import { attributePortal } from '../../../../server/attribution/attribute-portal.ts';
import { evaluatePortalHygiene } from '../../../../server/hygiene/evaluate-portal.ts';
import { startSandbox, type Sandbox } from '../../../../server/sandbox/server.ts';
import { runFullSync } from '../../../../server/sync/full-sync.ts';
import { writeBack } from '../../../../server/writeback/write-back.ts';
import { browse, startApp, type AppUnderTest } from '../../../helpers/app-under-test.ts';
import { cardClient } from './signed-card-client.ts';

export type CardPortal = {
  sandbox: Sandbox;
  app: AppUnderTest;
  portalId: number;
  call: ReturnType<typeof cardClient>;
  /** The ids every card request carries, as a card reads them from its context. */
  claims(objectId: number): { portalId: number; userId: number; userEmail: string; objectId: number };
  close(): Promise<void>;
};

export const USER = { userId: 7_001, userEmail: 'rep@example.com' };

/**
 * The demo portal served by the sandbox, the app installed over OAuth, a full sync, then hygiene,
 * attribution and write-back once: the state a portal's cards see in production.
 */
export async function cardPortal(db: pg.Pool, databaseUrl: string): Promise<CardPortal> {
  const sandbox = await startSandbox({ fixture: 'tests/fixtures/demo-portal.json' });
  const app = await startApp({ databaseUrl, hubspotUrl: sandbox.url });
  const landing = (await browse(`${app.url}/oauth/install`)).at(-1)!;
  if (landing.status !== 200) throw new Error(`install failed: ${landing.status}`);
  const portalId = sandbox.portalId;
  await runFullSync({ db, client: app.context.clientFor(portalId) }, portalId);
  const now = new Date();
  await evaluatePortalHygiene(db, portalId, { now });
  await attributePortal(db, portalId, { now });
  await writeBack(db, app.context.clientFor(portalId), portalId);
  return {
    sandbox,
    app,
    portalId,
    call: cardClient(app.url, app.env.HUBSPOT_CLIENT_SECRET),
    claims: (objectId) => ({ portalId, ...USER, objectId }),
    close: async () => {
      await app.close();
      await sandbox.close();
    },
  };
}

/** A second installed portal known only to the mirror, with one deal: it must never show through the first's cards. */
export async function addOtherPortalDeal(db: pg.Pool, portalId: number, dealId: number): Promise<void> {
  await db.query(`INSERT INTO portals (portal_id) VALUES ($1)`, [portalId]);
  await db.query(
    `INSERT INTO deals (portal_id, id, properties, created_at, updated_at)
     VALUES ($1, $2, '{"dealname":"Other portal deal","pipeline":"default","dealstage":"qualifiedtobuy","amount":"999"}', now(), now())`,
    [portalId, dealId],
  );
}

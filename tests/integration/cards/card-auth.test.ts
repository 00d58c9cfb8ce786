import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../helpers/database.ts';
import { addOtherPortalDeal, cardPortal, USER, type CardPortal } from './helpers/card-portal.ts';

const db = useTestDatabase();
let portal: CardPortal;

// A second, installed portal known only to the mirror: its deal must never show through the first's cards.
const OTHER_PORTAL = 9_990_001;
const OTHER_DEAL = 77_000_001;
const DEAL = 1057;

beforeAll(async () => {
  portal = await cardPortal(db.pool, db.url);
  await addOtherPortalDeal(db.pool, OTHER_PORTAL, OTHER_DEAL);
});
afterAll(async () => {
  await portal?.close();
});

const refused = (answer: { status: number; json: unknown }) => {
  expect(answer.status).toBe(401);
  expect(answer.json).toMatchObject({ ok: false });
  expect(JSON.stringify(answer.json)).not.toContain('"data"');
};

describe('card API authentication', () => {
  it('answers a request signed as HubSpot signs it', async () => {
    const answer = await portal.call({ path: '/cards/v1/deal', body: portal.claims(DEAL) });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ ok: true, data: { objectType: 'deal', objectId: String(DEAL) } });
  });

  it('refuses a signature made with another secret (forged)', async () => {
    refused(
      await portal.call({ path: '/cards/v1/deal', body: portal.claims(DEAL), secret: 'not-the-app-secret-at-all' }),
    );
  });

  it('refuses a request without a v3 signature', async () => {
    refused(await portal.call({ path: '/cards/v1/deal', body: portal.claims(DEAL), omitSignature: true }));
  });

  it('refuses a stale request (signed more than 5 minutes ago)', async () => {
    const answer = await portal.call({
      path: '/cards/v1/deal',
      body: portal.claims(DEAL),
      timestamp: Date.now() - 5 * 60_000 - 5_000,
    });
    refused(answer);
    expect(JSON.stringify(answer.json)).toContain('older than 5 minutes');
  });

  it('refuses a request stamped in the future', async () => {
    const answer = await portal.call({
      path: '/cards/v1/deal',
      body: portal.claims(DEAL),
      timestamp: Date.now() + 120_000,
    });
    refused(answer);
    expect(JSON.stringify(answer.json)).toContain('in the future');
  });

  it('refuses a body changed after signing', async () => {
    refused(
      await portal.call({
        path: '/cards/v1/deal',
        body: portal.claims(DEAL),
        tamper: { body: JSON.stringify(portal.claims(1235)) },
      }),
    );
  });

  it('refuses a URI changed after signing (path and query)', async () => {
    refused(
      await portal.call({ path: '/cards/v1/deal', body: portal.claims(DEAL), tamper: { path: '/cards/v1/ticket' } }),
    );
    refused(
      await portal.call({
        path: '/cards/v1/deal',
        body: portal.claims(DEAL),
        query: { portalId: String(portal.portalId) },
        tamper: { path: `/cards/v1/deal?portalId=${OTHER_PORTAL}` },
      }),
    );
  });

  it("refuses another portal's record as not found, with no data", async () => {
    const answer = await portal.call({ path: '/cards/v1/deal', body: portal.claims(OTHER_DEAL) });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      ok: false,
      error: { code: 'not_found', message: expect.stringContaining(`no deal ${OTHER_DEAL}`) },
    });
    expect(JSON.stringify(answer.json)).not.toContain('Other portal deal');
  });

  it("refuses a body naming another portal than the one HubSpot's query names", async () => {
    const answer = await portal.call({
      path: '/cards/v1/deal',
      body: { portalId: OTHER_PORTAL, ...USER, objectId: OTHER_DEAL },
      query: { portalId: String(portal.portalId), userId: String(USER.userId) },
    });
    expect(answer.json).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(JSON.stringify(answer.json)).not.toContain('Other portal deal');
  });

  it("does not show a portal's record to a request naming a portal that is not installed", async () => {
    await db.pool.query(`UPDATE portals SET status = 'uninstalled' WHERE portal_id = $1`, [OTHER_PORTAL]);
    const answer = await portal.call({
      path: '/cards/v1/deal',
      body: { portalId: OTHER_PORTAL, ...USER, objectId: OTHER_DEAL },
    });
    expect(answer.json).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'Closed Loop is not installed in this HubSpot account.' },
    });
  });

  it('names the field of a malformed request, without a 4xx the proxy would hide', async () => {
    const answer = await portal.call({ path: '/cards/v1/deal', body: { ...portal.claims(DEAL), objectId: 'abc' } });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'objectId' } });
    const unknown = await portal.call({ path: '/cards/v1/deal', body: { ...portal.claims(DEAL), dealId: 1 } });
    expect(unknown.json).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});

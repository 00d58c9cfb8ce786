import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestDefinitions } from '../../../server/db/repositories/definitions.ts';
import { loadTokens } from '../../../server/db/repositories/oauth-tokens.ts';
import { findPortal, listPortalIdsByStatus } from '../../../server/db/repositories/portals.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { TokenCipher } from '../../../server/security/token-cipher.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';

const db = useTestDatabase();
const demo = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as { portalId: number };
let portalA: Sandbox;
let portalB: Sandbox;
let appA: AppUnderTest;
let appB: AppUnderTest;

beforeAll(async () => {
  // Two HubSpot portals (the same data under two portal ids), one app database.
  portalA = await startSandbox({ fixture: demo });
  portalB = await startSandbox({ fixture: { ...demo, portalId: demo.portalId + 1 } });
  appA = await startApp({ databaseUrl: db.url, hubspotUrl: portalA.url });
  appB = await startApp({ databaseUrl: db.url, hubspotUrl: portalB.url });
  expect((await browse(`${appA.url}/oauth/install`)).at(-1)!.status).toBe(200);
  expect((await browse(`${appB.url}/oauth/install`)).at(-1)!.status).toBe(200);
});
afterAll(async () => {
  await appA?.close();
  await appB?.close();
  await portalA?.close();
  await portalB?.close();
});

describe('tenancy', () => {
  it("answers each portal's repository reads with that portal's rows only", async () => {
    const [a, b] = [portalA.portalId, portalB.portalId];
    expect(await listPortalIdsByStatus(db.pool, 'installed')).toEqual([a, b]);
    expect((await findPortal(db.pool, a))?.portalId).toBe(a);
    expect((await findPortal(db.pool, b))?.portalId).toBe(b);
    expect((await loadTokens(db.pool, a))?.portalId).toBe(a);
    expect((await loadTokens(db.pool, b))?.portalId).toBe(b);
    expect((await latestDefinitions(db.pool, a))?.version).toBe(1);
    expect(await findPortal(db.pool, a + 100)).toBeUndefined();
  });

  it("never hands one portal's token to the other", async () => {
    const cipher = new TokenCipher(appA.env.TOKEN_ENCRYPTION_KEYS);
    for (const [mine, other] of [
      [portalA, portalB],
      [portalB, portalA],
    ] as const) {
      const token = await appA.context.vault.current(mine.portalId);
      expect(mine.tokens.accessToken(token)).toBeDefined();
      expect(other.tokens.accessToken(token)).toBeUndefined();
      // A token sealed for one portal does not even open as the other portal's.
      const row = (await loadTokens(db.pool, mine.portalId))!;
      expect(() =>
        cipher.open({ keyId: row.keyId, blob: row.accessTokenEnc }, `portal:${other.portalId}:access`),
      ).toThrow();
    }
  });
});

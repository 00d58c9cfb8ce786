import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPool } from '../../../server/db/pool.ts';
import { findPortal, upsertInstalledPortal } from '../../../server/db/repositories/portals.ts';
import { RefreshTokenRejectedError, type OAuthApi } from '../../../server/hubspot/oauth-api.ts';
import { PortalUnavailableError, TokenVault } from '../../../server/hubspot/token-vault.ts';
import { TokenCipher } from '../../../server/security/token-cipher.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { useRedis } from '../../helpers/redis.ts';

const db = useTestDatabase();
const redis = useRedis();
const cipher = new TokenCipher([{ id: 'k1', key: randomBytes(32) }]);

/** A stand-in for HubSpot's token endpoint that counts refreshes and answers slowly, like a real network. */
function fakeOAuth(behaviour: 'ok' | 'invalid_grant' = 'ok') {
  const state = { refreshes: 0 };
  const api: OAuthApi = {
    exchangeCode: async () => ({ accessToken: 'unused', refreshToken: 'unused', expiresInSeconds: 1800 }),
    refresh: async (refreshToken) => {
      state.refreshes++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (behaviour === 'invalid_grant') throw new RefreshTokenRejectedError('invalid_grant');
      return { accessToken: `access-after-${refreshToken}`, refreshToken: `${refreshToken}+`, expiresInSeconds: 1800 };
    },
    tokenInfo: async () => ({ hubId: 1, userId: 1, user: null, hubDomain: null, scopes: [] }),
  };
  return { api, state };
}

async function installPortal(portalId: number, expiresInSeconds: number) {
  await upsertInstalledPortal(db.pool, {
    portalId,
    hubDomain: null,
    scopes: [],
    installedByUserId: null,
    installedByEmail: null,
  });
  const vault = new TokenVault({ db: db.pool, redis: redis.connect(), cipher, oauth: fakeOAuth().api });
  await vault.store(portalId, {
    accessToken: `access-${portalId}`,
    refreshToken: `refresh-${portalId}`,
    expiresInSeconds,
  });
}

describe('TokenVault', () => {
  it('stores tokens sealed: the raw table holds no token in plain text', async () => {
    await installPortal(101, 1800);
    const { rows } = await db.pool.query(`SELECT * FROM oauth_tokens WHERE portal_id = 101`);
    const raw =
      JSON.stringify(rows) +
      rows.map((r) => Buffer.concat([r.access_token_enc, r.refresh_token_enc]).toString('latin1')).join('');
    expect(raw).not.toContain('access-101');
    expect(raw).not.toContain('refresh-101');
    const vault = new TokenVault({ db: db.pool, redis: redis.connect(), cipher, oauth: fakeOAuth().api });
    expect(await vault.current(101)).toBe('access-101');
  });

  it('refreshes an expiring token once for ten concurrent callers in three processes', async () => {
    // Expires in 4 minutes: inside the 5-minute margin, so every caller wants a refresh.
    await installPortal(102, 240);
    const oauth = fakeOAuth();
    // Each "process" has its own pool and Redis connection; only the database and Redis are shared.
    const pools = [0, 1, 2].map(() => createPool(db.url, 3));
    const vaults = pools.map((pool) => new TokenVault({ db: pool, redis: redis.connect(), cipher, oauth: oauth.api }));
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => vaults[i % 3]!.current(102))).finally(() =>
      Promise.all(pools.map((pool) => pool.end())),
    );
    expect(new Set(tokens)).toEqual(new Set(['access-after-refresh-102']));
    expect(oauth.state.refreshes).toBe(1);
  });

  it('refreshes after a 401 unless another caller already did', async () => {
    await installPortal(103, 1800);
    const oauth = fakeOAuth();
    const [a, b] = [0, 1].map(() => new TokenVault({ db: db.pool, redis: redis.connect(), cipher, oauth: oauth.api }));
    const [first, second] = await Promise.all([
      a!.afterUnauthorized(103, 'access-103'),
      b!.afterUnauthorized(103, 'access-103'),
    ]);
    expect(first).toBe('access-after-refresh-103');
    expect(second).toBe(first);
    expect(oauth.state.refreshes).toBe(1);
  });

  it('marks the portal needs_reauth when HubSpot rejects the refresh token, once', async () => {
    await installPortal(104, 60);
    const oauth = fakeOAuth('invalid_grant');
    const stopped: number[] = [];
    const vault = new TokenVault({
      db: db.pool,
      redis: redis.connect(),
      cipher,
      oauth: oauth.api,
      onNeedsReauth: async (portalId) => void stopped.push(portalId),
    });
    await expect(vault.current(104)).rejects.toBeInstanceOf(PortalUnavailableError);
    expect((await findPortal(db.pool, 104))?.status).toBe('needs_reauth');
    await expect(vault.current(104)).rejects.toThrow(/needs_reauth/);
    expect(stopped).toEqual([104]);
    expect(oauth.state.refreshes).toBe(1);
  });
});

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Queryable } from '../db/pool.ts';
import { loadTokens, saveTokens } from '../db/repositories/oauth-tokens.ts';
import { findPortal, setPortalStatus } from '../db/repositories/portals.ts';
import type { TokenCipher } from '../security/token-cipher.ts';
import { RefreshTokenRejectedError, type OAuthApi, type TokenGrant } from './oauth-api.ts';
import type { AccessTokens } from './portal-client.ts';

/**
 * Keeps each portal's OAuth tokens: sealed in Postgres, refreshed five minutes before they expire
 * or after a 401, and refreshed **once** however many callers in however many processes notice at
 * the same moment (an in-process promise per portal, and a Redis lock across processes; whoever
 * waits re-reads the row the winner wrote). A refresh HubSpot rejects marks the portal
 * `needs_reauth`: it is treated as uninstalled until the admin installs again.
 */

export class PortalUnavailableError extends Error {
  readonly portalId: number;
  constructor(portalId: number, reason: string) {
    super(`portal ${portalId} ${reason}`);
    this.name = 'PortalUnavailableError';
    this.portalId = portalId;
  }
}

export type TokenVaultOptions = {
  db: Queryable;
  redis: Redis;
  cipher: TokenCipher;
  oauth: OAuthApi;
  clock?: () => number;
  refreshMarginMs?: number;
  lockTtlMs?: number;
  /** Called once when a portal moves to needs_reauth (stop its schedules). */
  onNeedsReauth?: (portalId: number) => Promise<void>;
};

type Open = { accessToken: string; refreshToken: string; expiresAt: number };

export class TokenVault implements AccessTokens {
  readonly #o: Required<Omit<TokenVaultOptions, 'onNeedsReauth'>> & Pick<TokenVaultOptions, 'onNeedsReauth'>;
  readonly #inflight = new Map<number, Promise<string>>();
  /** Refresh calls this process made; tests use it to prove single-flight. */
  refreshCount = 0;

  constructor(options: TokenVaultOptions) {
    this.#o = { clock: Date.now, refreshMarginMs: 5 * 60_000, lockTtlMs: 30_000, ...options };
  }

  /** Stores a fresh grant (install, or a refresh). */
  async store(portalId: number, grant: TokenGrant, db: Queryable = this.#o.db): Promise<void> {
    const { cipher, clock } = this.#o;
    const access = cipher.seal(grant.accessToken, context(portalId, 'access'));
    const refresh = cipher.seal(grant.refreshToken, context(portalId, 'refresh'));
    await saveTokens(db, {
      portalId,
      accessTokenEnc: access.blob,
      refreshTokenEnc: refresh.blob,
      keyId: cipher.currentKeyId,
      expiresAt: new Date(clock() + grant.expiresInSeconds * 1_000),
    });
  }

  async current(portalId: number): Promise<string> {
    const tokens = await this.#read(portalId);
    if (this.#fresh(tokens)) return tokens.accessToken;
    return this.#refreshOnce(portalId, undefined);
  }

  async afterUnauthorized(portalId: number, refused: string): Promise<string> {
    return this.#refreshOnce(portalId, refused);
  }

  /** HubSpot kept answering 401 after a refresh: the install is gone (HubSpot's own guidance). */
  async unauthorizedAfterRefresh(portalId: number): Promise<void> {
    await this.#markNeedsReauth(portalId);
  }

  #refreshOnce(portalId: number, refused: string | undefined): Promise<string> {
    let pending = this.#inflight.get(portalId);
    if (!pending) {
      pending = this.#refreshAcrossProcesses(portalId, refused).finally(() => this.#inflight.delete(portalId));
      this.#inflight.set(portalId, pending);
    }
    return pending;
  }

  async #refreshAcrossProcesses(portalId: number, refused: string | undefined): Promise<string> {
    const { redis, lockTtlMs } = this.#o;
    const lockKey = `cl:token-refresh:{${portalId}}`;
    const owner = randomUUID();
    for (;;) {
      // Someone else may have refreshed while we waited: their token is as good as ours.
      const tokens = await this.#read(portalId);
      if (this.#fresh(tokens) && tokens.accessToken !== refused) return tokens.accessToken;
      if ((await redis.set(lockKey, owner, 'PX', lockTtlMs, 'NX')) === 'OK') {
        try {
          const again = await this.#read(portalId);
          if (this.#fresh(again) && again.accessToken !== refused) return again.accessToken;
          return await this.#refresh(portalId, again.refreshToken);
        } finally {
          // Release only our own lock (it may have expired and been taken by another process).
          await redis.eval(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
            1,
            lockKey,
            owner,
          );
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 25 + Math.floor(Math.random() * 25)));
    }
  }

  async #refresh(portalId: number, refreshToken: string): Promise<string> {
    this.refreshCount++;
    let grant: TokenGrant;
    try {
      grant = await this.#o.oauth.refresh(refreshToken);
    } catch (error) {
      if (error instanceof RefreshTokenRejectedError) {
        await this.#markNeedsReauth(portalId);
        throw new PortalUnavailableError(portalId, 'needs re-authorization: HubSpot rejected its refresh token');
      }
      throw error;
    }
    await this.store(portalId, grant);
    return grant.accessToken;
  }

  async #read(portalId: number): Promise<Open> {
    const { db, cipher } = this.#o;
    const portal = await findPortal(db, portalId);
    if (!portal) throw new PortalUnavailableError(portalId, 'is not installed');
    if (portal.status !== 'installed') throw new PortalUnavailableError(portalId, `is ${portal.status}`);
    const row = await loadTokens(db, portalId);
    if (!row) throw new PortalUnavailableError(portalId, 'has no tokens');
    return {
      accessToken: cipher.open({ keyId: row.keyId, blob: row.accessTokenEnc }, context(portalId, 'access')),
      refreshToken: cipher.open({ keyId: row.keyId, blob: row.refreshTokenEnc }, context(portalId, 'refresh')),
      expiresAt: row.expiresAt.getTime(),
    };
  }

  #fresh(tokens: Open): boolean {
    return tokens.expiresAt - this.#o.clock() > this.#o.refreshMarginMs;
  }

  async #markNeedsReauth(portalId: number): Promise<void> {
    if (await setPortalStatus(this.#o.db, portalId, 'needs_reauth')) await this.#o.onNeedsReauth?.(portalId);
  }
}

function context(portalId: number, kind: 'access' | 'refresh'): string {
  return `portal:${portalId}:${kind}`;
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The OAuth `state` parameter: proves the callback answers an install this app started.
 * It is `nonce.expiresAt.signature` (HMAC-SHA256 with the client secret), valid for 10 minutes, and
 * usable once: the nonce lives in Redis until the callback consumes it (GETDEL), so a replayed state
 * finds nothing. The signature lets a forged or tampered state be refused without touching Redis.
 */

export const STATE_TTL_MS = 10 * 60_000;

export type StateCheck = { ok: true } | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'reused' };

export class OAuthStateStore {
  readonly #redis: Redis;
  readonly #secret: string;
  readonly #clock: () => number;

  constructor(redis: Redis, secret: string, clock: () => number = Date.now) {
    this.#redis = redis;
    this.#secret = secret;
    this.#clock = clock;
  }

  async issue(): Promise<string> {
    const nonce = randomBytes(18).toString('base64url');
    const expiresAt = this.#clock() + STATE_TTL_MS;
    await this.#redis.set(this.#key(nonce), String(expiresAt), 'PX', STATE_TTL_MS);
    return `${nonce}.${expiresAt}.${this.#sign(nonce, expiresAt)}`;
  }

  async consume(state: string | undefined): Promise<StateCheck> {
    const parts = (state ?? '').split('.');
    const [nonce, expiresRaw, signature] = parts;
    const expiresAt = Number(expiresRaw);
    if (parts.length !== 3 || !nonce || !signature || !Number.isSafeInteger(expiresAt))
      return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.#sign(nonce, expiresAt));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
    if (expiresAt <= this.#clock()) return { ok: false, reason: 'expired' };
    const stored = await this.#redis.getdel(this.#key(nonce));
    return stored === null ? { ok: false, reason: 'reused' } : { ok: true };
  }

  #sign(nonce: string, expiresAt: number): string {
    return createHmac('sha256', this.#secret).update(`oauth-state:${nonce}.${expiresAt}`).digest('base64url');
  }

  #key(nonce: string): string {
    return `cl:oauth-state:${nonce}`;
  }
}

import { describe, expect, it } from 'vitest';
import { OAuthStateStore, STATE_TTL_MS } from '../../../server/hubspot/oauth-state.ts';
import { useRedis } from '../../helpers/redis.ts';

const redis = useRedis();

describe('OAuthStateStore', () => {
  it('accepts a state once', async () => {
    const store = new OAuthStateStore(redis.connect(), 'secret-of-the-app');
    const state = await store.issue();
    expect(await store.consume(state)).toEqual({ ok: true });
    expect(await store.consume(state)).toEqual({ ok: false, reason: 'reused' });
  });

  it('refuses forged, tampered, malformed and expired states', async () => {
    let now = Date.now();
    const store = new OAuthStateStore(redis.connect(), 'secret-of-the-app', () => now);
    const state = await store.issue();
    const [nonce, expires, signature] = state.split('.');
    const other = new OAuthStateStore(redis.connect(), 'another-secret');
    expect(await store.consume(await other.issue())).toEqual({ ok: false, reason: 'forged' });
    expect(await store.consume(`${nonce}.${Number(expires) + 60_000}.${signature}`)).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(await store.consume('not-a-state')).toEqual({ ok: false, reason: 'malformed' });
    expect(await store.consume(undefined)).toEqual({ ok: false, reason: 'malformed' });
    now += STATE_TTL_MS + 1;
    expect(await store.consume(state)).toEqual({ ok: false, reason: 'expired' });
  });
});

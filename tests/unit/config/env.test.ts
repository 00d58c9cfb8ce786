import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../../server/config/env.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('parseEnv', () => {
  it('gives a local development setup with no variable set', () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/closed_loop');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.PORT).toBe(3000);
    expect(env.TOKEN_ENCRYPTION_KEYS).toHaveLength(1);
  });

  it('coerces numbers and reads rotation keys in order', () => {
    const env = parseEnv({ PORT: '8080', TOKEN_ENCRYPTION_KEYS: `new:${KEY}, old:${KEY}` });
    expect(env.PORT).toBe(8080);
    expect(env.TOKEN_ENCRYPTION_KEYS.map((k) => k.id)).toEqual(['new', 'old']);
    expect(env.TOKEN_ENCRYPTION_KEYS[0]?.key.length).toBe(32);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      parseEnv({ PORT: 'eighty', REDIS_URL: 'not a url', TOKEN_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT /m);
    expect(problems).toMatch(/^REDIS_URL /m);
    expect(problems).toMatch(/^TOKEN_ENCRYPTION_KEYS .*32 bytes/m);
  });

  it('has no production default for secrets', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/HUBSPOT_CLIENT_SECRET is required in production/);
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/TOKEN_ENCRYPTION_KEYS is required in production/);
    const env = parseEnv({
      NODE_ENV: 'production',
      HUBSPOT_CLIENT_SECRET: 'a-real-secret-of-enough-length',
      TOKEN_ENCRYPTION_KEYS: `k1:${KEY}`,
    });
    expect(env.HUBSPOT_CLIENT_SECRET).toBe('a-real-secret-of-enough-length');
  });

  it('treats an empty variable as unset', () => {
    expect(parseEnv({ PORT: '' }).PORT).toBe(3000);
  });
});

import { describe, expect, it } from 'vitest';
import { createClock } from '../../../server/sandbox/clock.ts';
import type { OAuthTokenError } from '../../../server/sandbox/oauth/tokens.ts';
import { AuthorizeError, TokenStore } from '../../../server/sandbox/oauth/tokens.ts';

const APP = { clientId: 'cid', clientSecret: 'secret', appId: 7, redirectUris: ['http://localhost:*'] };

function setup() {
  const clock = createClock({ start: Date.parse('2026-11-01T00:00:00Z'), frozen: true });
  const tokens = new TokenStore({
    clock,
    hubId: 42,
    hubDomain: 'x',
    apps: [APP],
    installer: { userId: 9, email: 'admin@example.com' },
  });
  const code = () =>
    new URL(
      tokens.authorize({
        client_id: 'cid',
        redirect_uri: 'http://localhost:3000/cb',
        scope: 'oauth crm.objects.contacts.read',
        state: 's',
      }),
    ).searchParams.get('code')!;
  return { clock, tokens, code };
}

const errorOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as OAuthTokenError).body?.status ?? (e as Error).message;
  }
  return 'no error';
};

describe('OAuth token store', () => {
  it('grants once per code; access tokens expire after 30 minutes of sandbox time', () => {
    const { clock, tokens, code } = setup();
    const c = code();
    const grant = {
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: 'http://localhost:3000/cb',
      client_id: 'cid',
      client_secret: 'secret',
    };
    const t = tokens.grant(grant);
    expect(t.expiresAt - t.issuedAt).toBe(1_800_000);
    expect(t.scopes).toEqual(['oauth', 'crm.objects.contacts.read']);
    expect(errorOf(() => tokens.grant(grant))).toBe('BAD_AUTH_CODE');
    clock.advance(1_800_000);
    expect(tokens.accessToken(t.token)!.expiresAt).toBeLessThanOrEqual(clock.now());
    expect(tokens.stats()).toMatchObject({ authorizations: 1, codeGrants: 1, failedGrants: 1 });
  });

  it('checks the client, the secret, the redirect URI and the code’s age', () => {
    const { clock, tokens, code } = setup();
    const base = {
      grant_type: 'authorization_code',
      redirect_uri: 'http://localhost:3000/cb',
      client_id: 'cid',
      client_secret: 'secret',
    };
    expect(errorOf(() => tokens.grant({ ...base, code: code(), client_id: 'other' }))).toBe('BAD_CLIENT_ID');
    expect(errorOf(() => tokens.grant({ ...base, code: code(), client_secret: 'nope' }))).toBe('BAD_CLIENT_SECRET');
    expect(errorOf(() => tokens.grant({ ...base, code: code(), redirect_uri: 'http://localhost:3000/other' }))).toBe(
      'BAD_REDIRECT_URI',
    );
    expect(errorOf(() => tokens.grant({ ...base, grant_type: 'password', code: code() }))).toBe('BAD_GRANT_TYPE');
    const old = code();
    clock.advance(11 * 60 * 1000);
    expect(errorOf(() => tokens.grant({ ...base, code: old }))).toBe('EXPIRED_AUTH_CODE');
  });

  it('refreshes until the refresh token is revoked', () => {
    const { tokens, code } = setup();
    const first = tokens.grant({
      grant_type: 'authorization_code',
      code: code(),
      redirect_uri: 'http://localhost:3000/cb',
      client_id: 'cid',
      client_secret: 'secret',
    });
    const refresh = {
      grant_type: 'refresh_token',
      refresh_token: first.refreshToken,
      client_id: 'cid',
      client_secret: 'secret',
    };
    expect(tokens.grant(refresh).token).not.toBe(first.token);
    expect(tokens.revokeRefreshTokens()).toBe(1);
    expect(errorOf(() => tokens.grant(refresh))).toBe('BAD_REFRESH_TOKEN');
    expect(tokens.stats().refreshGrants).toBe(1);
  });

  it('authorize refuses unknown clients and redirect URIs outside the allow list', () => {
    const { tokens } = setup();
    expect(() => tokens.authorize({ client_id: 'x', redirect_uri: 'http://localhost:1/cb', scope: 'oauth' })).toThrow(
      AuthorizeError,
    );
    expect(() =>
      tokens.authorize({ client_id: 'cid', redirect_uri: 'https://evil.example.com/cb', scope: 'oauth' }),
    ).toThrow(/redirect URL/);
    expect(() => tokens.authorize({ client_id: 'cid', redirect_uri: 'http://localhost:1/cb' })).toThrow(/scope/);
  });
});

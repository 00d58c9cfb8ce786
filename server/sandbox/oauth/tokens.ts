import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { correlationId } from '../errors.ts';

/**
 * HubSpot's app-facing OAuth, played by the sandbox: it is the admin who approves every install. Keeps
 * the apps allowed to install (client id, secret, redirect URIs), the authorization codes (single use,
 * short-lived), access tokens (expire after `accessTokenTtlMs`, default 30 minutes, against the
 * injected clock) and refresh tokens (until revoked), and counts grants.
 */

export type OAuthApp = {
  clientId: string;
  clientSecret: string;
  /** HubSpot's numeric app id: token info's `app_id`, and `sourceId` of the app's writes. */
  appId: number;
  /** Exact URIs, or patterns where `*` matches anything (e.g. `http://localhost:*`). */
  redirectUris: string[];
  name?: string;
};

export type Installer = { userId: number; email: string };

export type Grant = {
  clientId: string;
  appId: number;
  scopes: string[];
  userId: number;
  user: string;
};

export type AccessToken = Grant & { token: string; issuedAt: number; expiresAt: number; refreshToken?: string };
export type RefreshToken = Grant & { token: string; revoked: boolean };
type AuthCode = Grant & { code: string; redirectUri: string; expiresAt: number; used: boolean };

export type TokenStats = { authorizations: number; codeGrants: number; refreshGrants: number; failedGrants: number };

/** The token endpoint's error body: HubSpot's `status` code words plus the OAuth 2 `error` fields. */
export class OAuthTokenError extends Error {
  readonly httpStatus = 400;
  readonly body: Record<string, string>;
  constructor(status: string, error: string, message: string) {
    super(message);
    this.name = 'OAuthTokenError';
    this.body = { status, message, correlationId: correlationId(), error, error_description: message };
  }
}

export class AuthorizeError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'AuthorizeError';
    this.reason = reason;
  }
}

const AUTH_CODE_TTL_MS = 10 * 60 * 1000;

const matches = (pattern: string, uri: string): boolean => {
  if (!pattern.includes('*')) return pattern === uri;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(uri);
};

const splitScopes = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(/[\s+]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export type TokenStoreOptions = {
  clock: Clock;
  hubId: number;
  hubDomain: string;
  apps: OAuthApp[];
  installer: Installer;
  accessTokenTtlMs?: number;
};

export class TokenStore {
  readonly hubId: number;
  readonly hubDomain: string;
  readonly accessTokenTtlMs: number;
  private readonly clock: Clock;
  private readonly apps = new Map<string, OAuthApp>();
  private readonly installer: Installer;
  private readonly codes = new Map<string, AuthCode>();
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();
  private readonly counters: TokenStats = { authorizations: 0, codeGrants: 0, refreshGrants: 0, failedGrants: 0 };

  constructor(options: TokenStoreOptions) {
    this.clock = options.clock;
    this.hubId = options.hubId;
    this.hubDomain = options.hubDomain;
    this.installer = options.installer;
    this.accessTokenTtlMs = options.accessTokenTtlMs ?? 30 * 60 * 1000;
    for (const app of options.apps) this.apps.set(app.clientId, app);
  }

  app(clientId: string): OAuthApp | undefined {
    return this.apps.get(clientId);
  }

  appById(appId: number): OAuthApp | undefined {
    return [...this.apps.values()].find((a) => a.appId === appId);
  }

  /** The admin approves: validates the app and redirect URI and returns where HubSpot would redirect. */
  authorize(params: {
    client_id?: string;
    redirect_uri?: string;
    scope?: string;
    optional_scope?: string;
    state?: string;
  }): string {
    const app = params.client_id ? this.apps.get(params.client_id) : undefined;
    if (!app) throw new AuthorizeError('An invalid app client_id was provided. Please contact the app developer.');
    if (!params.redirect_uri || !app.redirectUris.some((p) => matches(p, params.redirect_uri!))) {
      throw new AuthorizeError(
        "The redirect URL doesn't match the URLs configured for this app. Please contact the app developer.",
      );
    }
    const scopes = [...new Set([...splitScopes(params.scope), ...splitScopes(params.optional_scope)])];
    if (splitScopes(params.scope).length === 0)
      throw new AuthorizeError('The app did not request any scope. Please contact the app developer.');
    const code = randomUUID();
    this.codes.set(code, {
      code,
      clientId: app.clientId,
      appId: app.appId,
      scopes,
      userId: this.installer.userId,
      user: this.installer.email,
      redirectUri: params.redirect_uri,
      expiresAt: this.clock.now() + AUTH_CODE_TTL_MS,
      used: false,
    });
    this.counters.authorizations++;
    const url = new URL(params.redirect_uri);
    url.searchParams.set('code', code);
    if (params.state !== undefined) url.searchParams.set('state', params.state);
    return url.toString();
  }

  /** POST /oauth/v1/token: `authorization_code` and `refresh_token` grants. */
  grant(form: Record<string, string | undefined>): AccessToken & { refreshToken: string } {
    try {
      return this.grantOrThrow(form);
    } catch (error) {
      this.counters.failedGrants++;
      throw error;
    }
  }

  private grantOrThrow(form: Record<string, string | undefined>): AccessToken & { refreshToken: string } {
    const grantType = form.grant_type;
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      throw new OAuthTokenError(
        'BAD_GRANT_TYPE',
        'unsupported_grant_type',
        'grant_type must be authorization_code or refresh_token',
      );
    }
    const app = form.client_id ? this.apps.get(form.client_id) : undefined;
    if (!app) throw new OAuthTokenError('BAD_CLIENT_ID', 'invalid_client', 'missing or invalid client id');
    if (form.client_secret !== app.clientSecret) {
      throw new OAuthTokenError('BAD_CLIENT_SECRET', 'invalid_client', 'missing or invalid client secret');
    }
    if (grantType === 'authorization_code') {
      const code = form.code ? this.codes.get(form.code) : undefined;
      if (!code || code.used || code.clientId !== app.clientId) {
        throw new OAuthTokenError('BAD_AUTH_CODE', 'invalid_grant', 'missing or unknown auth code');
      }
      if (code.expiresAt <= this.clock.now()) {
        throw new OAuthTokenError('EXPIRED_AUTH_CODE', 'invalid_grant', 'auth code is expired');
      }
      if (form.redirect_uri !== code.redirectUri) {
        throw new OAuthTokenError(
          'BAD_REDIRECT_URI',
          'invalid_grant',
          'redirect_uri does not match the one used to authorize',
        );
      }
      code.used = true;
      this.counters.codeGrants++;
      const refresh: RefreshToken = { ...grantOf(code), token: randomUUID(), revoked: false };
      this.refresh.set(refresh.token, refresh);
      return { ...this.issue(refresh, refresh.token), refreshToken: refresh.token };
    }
    const refresh = form.refresh_token ? this.refresh.get(form.refresh_token) : undefined;
    if (!refresh || refresh.revoked || refresh.clientId !== app.clientId) {
      throw new OAuthTokenError('BAD_REFRESH_TOKEN', 'invalid_grant', 'refresh token is invalid, expired or revoked');
    }
    this.counters.refreshGrants++;
    return { ...this.issue(refresh, refresh.token), refreshToken: refresh.token };
  }

  private issue(grant: Grant, refreshToken?: string): AccessToken {
    const now = this.clock.now();
    const token: AccessToken = {
      ...grantOf(grant),
      token: `sbx-${this.hubId}-${randomBytes(24).toString('base64url')}`,
      issuedAt: now,
      expiresAt: now + this.accessTokenTtlMs,
      ...(refreshToken === undefined ? {} : { refreshToken }),
    };
    this.access.set(token.token, token);
    return token;
  }

  /** For tests: an access token for an installed app without going through the redirect. */
  issueAccessToken(options: { clientId?: string; scopes: string[] }): AccessToken {
    const app = options.clientId ? this.apps.get(options.clientId) : this.apps.values().next().value;
    if (!app) throw new Error('no such app');
    return this.issue({
      clientId: app.clientId,
      appId: app.appId,
      scopes: options.scopes,
      userId: this.installer.userId,
      user: this.installer.email,
    });
  }

  accessToken(token: string): AccessToken | undefined {
    return this.access.get(token);
  }

  refreshToken(token: string): RefreshToken | undefined {
    return this.refresh.get(token);
  }

  /** Revokes one refresh token, or all of them. Access tokens already issued keep working until they expire. */
  revokeRefreshTokens(token?: string): number {
    let n = 0;
    for (const r of this.refresh.values()) {
      if ((token === undefined || r.token === token) && !r.revoked) {
        r.revoked = true;
        n++;
      }
    }
    return n;
  }

  /** Makes every live access token (or one) expire now. */
  expireAccessTokens(token?: string): number {
    const now = this.clock.now();
    let n = 0;
    for (const a of this.access.values()) {
      if ((token === undefined || a.token === token) && a.expiresAt > now) {
        a.expiresAt = now;
        n++;
      }
    }
    return n;
  }

  stats(): TokenStats {
    return { ...this.counters };
  }
}

const grantOf = (g: Grant): Grant => ({
  clientId: g.clientId,
  appId: g.appId,
  scopes: [...g.scopes],
  userId: g.userId,
  user: g.user,
});

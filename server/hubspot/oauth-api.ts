import { Client } from '@hubspot/api-client';
import { toHubSpotError } from './errors.ts';

/** HubSpot's OAuth endpoints as the app uses them, through the SDK (`/oauth/v1/token`, `/oauth/v1/access-tokens`). */
export type TokenGrant = { accessToken: string; refreshToken: string; expiresInSeconds: number };
export type TokenInfo = {
  hubId: number;
  userId: number;
  user: string | null;
  hubDomain: string | null;
  scopes: string[];
};

export type OAuthApi = {
  exchangeCode(code: string, redirectUri: string): Promise<TokenGrant>;
  refresh(refreshToken: string): Promise<TokenGrant>;
  tokenInfo(accessToken: string): Promise<TokenInfo>;
};

/** HubSpot refused the refresh token (`invalid_grant`): only the admin reinstalling can fix it. */
export class RefreshTokenRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RefreshTokenRejectedError';
  }
}

export function createOAuthApi(options: { basePath: string; clientId: string; clientSecret: string }): OAuthApi {
  // Token calls carry no bearer token and don't count against a portal's budget.
  const sdk = new Client({ basePath: options.basePath, numberOfApiCallRetries: 0 });
  const grant = async (
    kind: 'authorization_code' | 'refresh_token',
    code?: string,
    redirectUri?: string,
    refresh?: string,
  ) => {
    try {
      const r = await sdk.oauth.tokensApi.create(
        kind,
        code,
        redirectUri,
        options.clientId,
        options.clientSecret,
        refresh,
      );
      return { accessToken: r.accessToken, refreshToken: r.refreshToken, expiresInSeconds: r.expiresIn };
    } catch (thrown) {
      const error = toHubSpotError(thrown);
      const body = error.body as { error?: unknown; status?: unknown } | undefined;
      if (
        kind === 'refresh_token' &&
        error.status === 400 &&
        (body?.error === 'invalid_grant' || body?.status === 'BAD_REFRESH_TOKEN')
      ) {
        throw new RefreshTokenRejectedError('HubSpot rejected the refresh token (invalid_grant)', { cause: error });
      }
      throw error;
    }
  };
  return {
    exchangeCode: (code, redirectUri) => grant('authorization_code', code, redirectUri),
    refresh: (refreshToken) => grant('refresh_token', undefined, undefined, refreshToken),
    tokenInfo: async (accessToken) => {
      try {
        const info = await sdk.oauth.accessTokensApi.get(accessToken);
        return {
          hubId: info.hubId,
          userId: info.userId,
          user: info.user ?? null,
          hubDomain: info.hubDomain ?? null,
          scopes: info.scopes,
        };
      } catch (thrown) {
        throw toHubSpotError(thrown);
      }
    },
  };
}

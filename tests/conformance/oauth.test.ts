import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APP, type Sandbox } from '../../server/sandbox/server.ts';
import { clientFor, failure, startDemo } from './helpers.ts';

const REDIRECT = 'http://localhost:3000/oauth/callback';
const SCOPES = 'oauth crm.objects.contacts.read crm.objects.contacts.write';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startDemo();
});
afterAll(() => sandbox.close());

/** The browser's half: follow the authorize URL the SDK builds, read the code off the redirect. */
async function authorize(client: Client, state = 'st-1'): Promise<string> {
  const url = client.oauth.getAuthorizationUrl(DEFAULT_APP.clientId, REDIRECT, SCOPES, 'crm.objects.deals.read', state);
  const local = new URL(new URL(url).pathname + new URL(url).search, sandbox.url);
  const res = await fetch(local, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe(state);
  return location.searchParams.get('code')!;
}

describe('OAuth, through the SDK', () => {
  it('installs: authorize redirect, code exchange, token info, refresh', async () => {
    const client = new Client({ basePath: sandbox.url });
    const code = await authorize(client);
    const before = sandbox.tokens.stats();
    const tokens = await client.oauth.tokensApi.create(
      'authorization_code',
      code,
      REDIRECT,
      DEFAULT_APP.clientId,
      DEFAULT_APP.clientSecret,
    );
    expect(tokens.tokenType).toBe('bearer');
    expect(tokens.expiresIn).toBe(1800);
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.refreshToken).toBeTruthy();

    const info = await client.oauth.accessTokensApi.get(tokens.accessToken);
    expect(info.hubId).toBe(sandbox.portalId);
    expect(info.appId).toBe(DEFAULT_APP.appId);
    expect(info.scopes).toEqual(
      expect.arrayContaining(['oauth', 'crm.objects.contacts.read', 'crm.objects.deals.read']),
    );
    expect(info.expiresIn).toBeLessThanOrEqual(1800);
    expect(info.tokenType).toBe('access');
    expect(info.user).toBeTruthy();

    const refreshInfo = await client.oauth.refreshTokensApi.get(tokens.refreshToken);
    expect(refreshInfo.clientId).toBe(DEFAULT_APP.clientId);
    expect(refreshInfo.hubId).toBe(sandbox.portalId);

    const refreshed = await client.oauth.tokensApi.create(
      'refresh_token',
      undefined,
      undefined,
      DEFAULT_APP.clientId,
      DEFAULT_APP.clientSecret,
      tokens.refreshToken,
    );
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    const page = await clientFor(sandbox, refreshed.accessToken).crm.contacts.basicApi.getPage(1);
    expect(page.results).toHaveLength(1);

    const after = sandbox.tokens.stats();
    expect(after.codeGrants - before.codeGrants).toBe(1);
    expect(after.refreshGrants - before.refreshGrants).toBe(1);
    const grants = sandbox.writes.list({ kind: 'oauth' });
    expect(grants.at(-1)).toMatchObject({
      method: 'POST',
      path: '/oauth/v1/token',
      clientId: DEFAULT_APP.clientId,
      status: 200,
    });
    expect((grants.at(-1)!.body as Record<string, string>).client_secret).toBe('***');
  });

  it('uses a code once, and answers HubSpot’s token errors', async () => {
    const client = new Client({ basePath: sandbox.url });
    const code = await authorize(client);
    await client.oauth.tokensApi.create(
      'authorization_code',
      code,
      REDIRECT,
      DEFAULT_APP.clientId,
      DEFAULT_APP.clientSecret,
    );
    const reused = await failure(
      client.oauth.tokensApi.create(
        'authorization_code',
        code,
        REDIRECT,
        DEFAULT_APP.clientId,
        DEFAULT_APP.clientSecret,
      ),
    );
    expect(reused.code).toBe(400);
    const raw = await fetch(`${sandbox.url}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: DEFAULT_APP.clientId,
        client_secret: DEFAULT_APP.clientSecret,
      }),
    });
    expect(await raw.json()).toMatchObject({ status: 'BAD_AUTH_CODE', error: 'invalid_grant' });

    const badClient = await fetch(`${sandbox.url}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: 'x',
        client_id: 'nope',
        client_secret: 'x',
      }),
    });
    expect(badClient.status).toBe(400);
    expect(await badClient.json()).toMatchObject({ status: 'BAD_CLIENT_ID', error: 'invalid_client' });
  });

  it('refuses a revoked refresh token with BAD_REFRESH_TOKEN', async () => {
    const client = new Client({ basePath: sandbox.url });
    const tokens = await client.oauth.tokensApi.create(
      'authorization_code',
      await authorize(client),
      REDIRECT,
      DEFAULT_APP.clientId,
      DEFAULT_APP.clientSecret,
    );
    expect(sandbox.tokens.revokeRefreshTokens(tokens.refreshToken)).toBe(1);
    const res = await fetch(`${sandbox.url}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refreshToken,
        client_id: DEFAULT_APP.clientId,
        client_secret: DEFAULT_APP.clientSecret,
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'refresh token is invalid, expired or revoked',
      status: 'BAD_REFRESH_TOKEN',
    });
  });

  it('answers an unknown client or a redirect URI outside the allow list with an error page', async () => {
    const bad = await fetch(
      `${sandbox.url}/oauth/authorize?client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=oauth`,
      { redirect: 'manual' },
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('invalid app client_id');
    const elsewhere = await fetch(
      `${sandbox.url}/oauth/authorize?client_id=${DEFAULT_APP.clientId}&redirect_uri=${encodeURIComponent('https://evil.example.com/cb')}&scope=oauth`,
      { redirect: 'manual' },
    );
    expect(elsewhere.status).toBe(400);
  });

  it('gives an expired access token HubSpot’s 401 on every API route', async () => {
    const token = sandbox.issueAccessToken();
    const client = clientFor(sandbox, token);
    await client.crm.contacts.basicApi.getPage(1);
    sandbox.clock.advance(30 * 60 * 1000 + 1000);
    for (const call of [
      () => client.crm.contacts.basicApi.getPage(1),
      () => client.crm.deals.searchApi.doSearch({ filterGroups: [], limit: 1 } as never),
      () => client.crm.pipelines.pipelinesApi.getAll('deals'),
      () => client.crm.owners.ownersApi.getPage(),
    ]) {
      const { code, body } = await failure(call());
      expect(code).toBe(401);
      expect(body.category).toBe('EXPIRED_AUTHENTICATION');
      expect(String(body.message)).toMatch(/^The OAuth token used to make this call expired \d+ second\(s\) ago\.$/);
    }
    const unknown = await failure(clientFor(sandbox, 'not-a-token').crm.contacts.basicApi.getPage(1));
    expect(unknown.code).toBe(401);
    expect(unknown.body.category).toBe('INVALID_AUTHENTICATION');
  });

  it('expires every token on demand', async () => {
    const client = clientFor(sandbox);
    await client.crm.contacts.basicApi.getPage(1);
    expect(sandbox.tokens.expireAccessTokens()).toBeGreaterThan(0);
    expect((await failure(client.crm.contacts.basicApi.getPage(1))).code).toBe(401);
  });

  it('refuses a call the token has no scope for with 403 MISSING_SCOPES', async () => {
    const client = clientFor(sandbox, sandbox.issueAccessToken(['oauth', 'crm.objects.contacts.read']));
    await client.crm.contacts.basicApi.getPage(1);
    const { code, body } = await failure(client.crm.deals.basicApi.getPage(1));
    expect(code).toBe(403);
    expect(body.category).toBe('MISSING_SCOPES');
  });
});

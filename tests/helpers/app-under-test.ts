import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { parseEnv, type Env } from '../../server/config/env.ts';
import { createAppContext, redirectUriOf, type AppContext, type ContextOptions } from '../../server/context.ts';
import { OAuthStateStore } from '../../server/hubspot/oauth-state.ts';
import { createHttpApp } from '../../server/http/app.ts';
import { uniquePrefix, TEST_REDIS_URL } from './redis.ts';

export type AppUnderTest = { url: string; env: Env; context: AppContext; close(): Promise<void> };

/**
 * The real server, composed as `server/main.ts` composes it, listening on a free port, talking to the
 * given database and HubSpot base URL (a sandbox), with Redis keys of its own.
 */
export async function startApp(options: {
  databaseUrl: string;
  hubspotUrl: string;
  env?: Record<string, string>;
  context?: ContextOptions;
}): Promise<AppUnderTest> {
  // Listen first: the OAuth redirect URI contains the port.
  let handler: Express | undefined;
  const server: Server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env = parseEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    PUBLIC_BASE_URL: url,
    HUBSPOT_API_BASE_URL: options.hubspotUrl,
    HUBSPOT_AUTHORIZE_URL: `${options.hubspotUrl}/oauth/authorize`,
    ...options.env,
  });
  const context = createAppContext(env, { redisPrefix: uniquePrefix('app'), ...options.context });
  handler = createHttpApp({
    log: context.log,
    oauth: {
      authorizeUrl: env.HUBSPOT_AUTHORIZE_URL,
      clientId: env.HUBSPOT_CLIENT_ID,
      redirectUri: redirectUriOf(env),
      states: new OAuthStateStore(context.redis, env.HUBSPOT_CLIENT_SECRET),
      install: context.install,
    },
  });
  return {
    url,
    env,
    context,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await context.close();
    },
  };
}

/** Follows redirects hop by hop, as a browser would, and returns every hop's response. */
export async function browse(start: string, maxHops = 5): Promise<Response[]> {
  const hops: Response[] = [];
  let url = start;
  for (let i = 0; i < maxHops; i++) {
    const response = await fetch(url, { redirect: 'manual' });
    hops.push(response);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return hops;
    url = new URL(location, url).toString();
  }
  throw new Error(`more than ${maxHops} redirects from ${start}`);
}

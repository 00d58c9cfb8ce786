import { startServer, type RunningServer } from '../../server/http/start-server.ts';
import type { ContextOptions } from '../../server/context.ts';
import { TEST_REDIS_URL, uniquePrefix } from './redis.ts';

export type AppUnderTest = RunningServer;

/**
 * The real server, composed as in production, on a free port, against the given database and HubSpot
 * base URL (a sandbox), with Redis keys of its own.
 */
export function startApp(options: {
  databaseUrl: string;
  hubspotUrl: string;
  env?: Record<string, string>;
  context?: ContextOptions;
}): Promise<AppUnderTest> {
  return startServer({
    port: 0,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      HUBSPOT_API_BASE_URL: options.hubspotUrl,
      HUBSPOT_AUTHORIZE_URL: `${options.hubspotUrl}/oauth/authorize`,
      // Through the environment, so workers built from `env` share the app's queues.
      REDIS_PREFIX: uniquePrefix('app'),
      ...options.env,
    },
    ...(options.context ? { context: options.context } : {}),
  });
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

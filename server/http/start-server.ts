import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { parseEnv, type Env } from '../config/env.ts';
import { adminKeys } from '../admin/admin-keys.ts';
import { DefinitionsCache } from '../cards/definitions-cache.ts';
import { createCardService } from '../cards/card-service.ts';
import { createAppContext, redirectUriOf, type AppContext, type ContextOptions } from '../context.ts';
import { OAuthStateStore } from '../hubspot/oauth-state.ts';
import { JOB_DEFINITIONS } from '../jobs/registry.ts';
import { RedisJobTimings } from '../observability/job-timings.ts';
import { createMetrics } from '../observability/metrics.ts';
import { evaluateRecords } from '../hygiene/evaluate-records.ts';
import { createWebhookIntake } from '../webhooks/intake.ts';
import { createHttpApp } from './app.ts';

export type RunningServer = { url: string; env: Env; context: AppContext; close(): Promise<void> };

/**
 * Starts the HTTP server with its whole context. With `port: 0` it listens on a free port first and
 * sets PUBLIC_BASE_URL from it, because the OAuth redirect URI must name the port (the demo and the
 * tests run the server this way).
 */
export async function startServer(options: {
  env: Record<string, string | undefined>;
  port?: number;
  host?: string;
  context?: ContextOptions;
}): Promise<RunningServer> {
  // The app needs the port (for its redirect URI), the port needs a listening server: fill it in after.
  const mounted: { app?: Express } = {};
  const server = createServer((req, res) => mounted.app?.(req, res));
  // Longer than the idle timeout of the clients and load balancers in front (60 s is common), so they,
  // not the server, close idle keep-alive sockets: a request never races the server's close.
  server.keepAliveTimeout = 65_000;
  const requested = options.port ?? Number(parseEnv(options.env).PORT);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requested, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const env = parseEnv(requested === 0 ? { ...options.env, PUBLIC_BASE_URL: `http://127.0.0.1:${port}` } : options.env);
  const context = createAppContext(env, options.context);
  mounted.app = createHttpApp({
    log: context.log,
    oauth: {
      authorizeUrl: env.HUBSPOT_AUTHORIZE_URL,
      clientId: env.HUBSPOT_CLIENT_ID,
      redirectUri: redirectUriOf(env),
      states: new OAuthStateStore(context.redis, env.HUBSPOT_CLIENT_SECRET),
      install: context.install,
    },
    operator: { token: env.OPERATOR_API_TOKEN, uninstall: context.uninstall },
    syncStatus: { db: context.db, token: env.OPERATOR_API_TOKEN },
    metrics: {
      token: env.METRICS_TOKEN,
      metrics: () =>
        createMetrics({
          db: context.db,
          counters: context.counters,
          queues: context.queues,
          queueNames: [...new Set(JOB_DEFINITIONS.map((d) => d.queue))],
          timings: new RedisJobTimings(context.redis, context.queues.prefix),
          log: context.log,
        }),
    },
    ingest: {
      db: context.db,
      redis: context.redis,
      redisPrefix: context.redisPrefix,
      rateLimit: { max: env.INGEST_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 },
    },
    webhooks: {
      clientSecret: env.HUBSPOT_CLIENT_SECRET,
      publicBaseUrl: env.PUBLIC_BASE_URL,
      intake: createWebhookIntake({
        db: context.db,
        queues: context.queues,
        log: context.log,
      }),
    },
    admin: (() => {
      const keys = adminKeys(env);
      return {
        db: context.db,
        queueDeps: context.queueDeps,
        oauth: context.oauth,
        states: new OAuthStateStore(context.redis, keys.loginState),
        keys,
        authorizeUrl: env.HUBSPOT_AUTHORIZE_URL,
        clientId: env.HUBSPOT_CLIENT_ID,
        clientSecret: env.HUBSPOT_CLIENT_SECRET,
        publicBaseUrl: env.PUBLIC_BASE_URL,
      };
    })(),
    reports: { db: context.db, publicBaseUrl: env.PUBLIC_BASE_URL, operatorToken: env.OPERATOR_API_TOKEN },
    cards: {
      clientSecret: env.HUBSPOT_CLIENT_SECRET,
      publicBaseUrl: env.PUBLIC_BASE_URL,
      cards: createCardService({
        db: context.db,
        clientFor: context.clientFor,
        definitions: new DefinitionsCache(),
        reevaluate: evaluateRecords,
        now: () => new Date(),
      }),
    },
  });
  return {
    url: `http://127.0.0.1:${port}`,
    env,
    context,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await context.close();
    },
  };
}

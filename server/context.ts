import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { Env } from './config/env.ts';
import { createPool } from './db/pool.ts';
import { RedisCallCounters } from './hubspot/call-counters.ts';
import { createOAuthApi, type OAuthApi } from './hubspot/oauth-api.ts';
import { PortalHubSpotClient } from './hubspot/portal-client.ts';
import { RequestBudget, type BudgetLimits } from './hubspot/request-budget.ts';
import { TokenVault } from './hubspot/token-vault.ts';
import { completeInstall, type InstallOutcome } from './install/complete-install.ts';
import type { DeletionReport } from './install/delete-portal.ts';
import { uninstallPortal } from './install/uninstall-portal.ts';
import { PORTAL_PURGE_EVERY_MS, PORTAL_PURGE_SCHEDULE, portalPurge } from './jobs/portal-purge.job.ts';
import { syncFull } from './jobs/sync-full.job.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import { addPortalCadence } from './loops/cadence.ts';
import type { QueueDeps } from './queue/deps.ts';
import { enqueue } from './queue/enqueue.ts';
import { addPortalSchedule, removePortalSchedules } from './queue/portal-schedules.ts';
import { bullPrefix, createQueueSet, type QueueSet } from './queue/queue-set.ts';
import { createRedisConnection } from './queue/redis-connection.ts';
import { TokenCipher } from './security/token-cipher.ts';

/**
 * The composition root: builds, once per process, everything the server and the workers share from
 * the environment. Nothing else constructs pools, connections or clients, so tests can build a context
 * against their own database, Redis prefix and sandbox.
 */
export type AppContext = {
  env: Env;
  log: Logger;
  db: pg.Pool;
  redis: Redis;
  /** Every Redis key of this context starts with it. */
  redisPrefix: string;
  queues: QueueSet;
  queueDeps: QueueDeps;
  oauth: OAuthApi;
  vault: TokenVault;
  budget: RequestBudget;
  counters: RedisCallCounters;
  clientFor(portalId: number): PortalHubSpotClient;
  install(code: string): Promise<InstallOutcome>;
  /** Deletes all of a portal's data (operator request, or after the uninstall grace period). */
  uninstall(portalId: number, reason: string): Promise<DeletionReport>;
  close(): Promise<void>;
};

export type ContextOptions = {
  /** Overrides REDIS_PREFIX (tests use their own). */
  redisPrefix?: string;
  /** HubSpot's limits by default; tests shrink them to match a sandbox. */
  budgetLimits?: BudgetLimits;
  name?: string;
};

export function createAppContext(env: Env, options: ContextOptions = {}): AppContext {
  const log = createLogger({ level: env.LOG_LEVEL, name: options.name ?? 'closed-loop' });
  const db = createPool(env.DATABASE_URL);
  db.on('error', (error) => log.error({ err: error }, 'idle Postgres client failed'));
  const redis = createRedisConnection(env.REDIS_URL);
  const prefix = options.redisPrefix ?? env.REDIS_PREFIX;
  const queues = createQueueSet({ connection: redis, prefix: bullPrefix(prefix) });
  const queueDeps: QueueDeps = { db, queues, log };
  const oauth = createOAuthApi({
    basePath: env.HUBSPOT_API_BASE_URL,
    clientId: env.HUBSPOT_CLIENT_ID,
    clientSecret: env.HUBSPOT_CLIENT_SECRET,
  });
  const vault = new TokenVault({
    db,
    redis,
    cipher: new TokenCipher(env.TOKEN_ENCRYPTION_KEYS),
    oauth,
    // A portal that needs re-auth is treated as uninstalled: its schedules stop at once.
    onNeedsReauth: async (portalId) => {
      log.warn({ portalId }, 'portal needs re-authorization; its schedules are stopped');
      await removePortalSchedules(queueDeps, portalId);
      // HubSpot's uninstall signal: the data goes after the grace period unless the admin reinstalls.
      await addPortalSchedule(queueDeps, {
        portalId,
        key: PORTAL_PURGE_SCHEDULE,
        definition: portalPurge,
        payload: { portalId },
        cadence: { everyMs: PORTAL_PURGE_EVERY_MS },
      });
    },
  });
  const budget = new RequestBudget(redis, {
    keyPrefix: `${prefix}:budget`,
    ...(options.budgetLimits ? { limits: options.budgetLimits } : {}),
  });
  const counters = new RedisCallCounters(redis, prefix, (error) =>
    log.warn({ err: error }, 'call counter not recorded'),
  );
  const clients = new Map<number, PortalHubSpotClient>();
  const clientFor = (portalId: number) => {
    let client = clients.get(portalId);
    if (!client) {
      client = new PortalHubSpotClient({
        portalId,
        basePath: env.HUBSPOT_API_BASE_URL,
        tokens: vault,
        budget,
        counters,
      });
      clients.set(portalId, client);
    }
    return client;
  };
  const startSync = async (portalId: number) => {
    await removePortalSchedules(queueDeps, portalId, [PORTAL_PURGE_SCHEDULE]);
    await enqueue(queueDeps, syncFull, { portalId }, { runKey: 'install' });
    // The incremental sync, daily evaluation, weekly digest, monthly snapshot and quarterly review.
    await addPortalCadence(queueDeps, portalId);
  };
  return {
    env,
    log,
    db,
    redis,
    redisPrefix: prefix,
    queues,
    queueDeps,
    oauth,
    vault,
    budget,
    counters,
    clientFor,
    install: (code) =>
      completeInstall({ db, oauth, vault, clientFor, redirectUri: redirectUriOf(env), startSync }, code),
    uninstall: (portalId, reason) =>
      uninstallPortal(
        {
          queueDeps,
          forgetRedisState: async (id) => {
            await budget.reset(id);
            await counters.reset(id);
          },
        },
        portalId,
        reason,
      ),
    close: async () => {
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
      await db.end();
    },
  };
}

export function redirectUriOf(env: Env): string {
  return new URL('/oauth/callback', env.PUBLIC_BASE_URL).toString();
}

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createSandboxApp, type SandboxMiddlewares } from './app.ts';
import { createClock, type Clock, type ClockOptions } from './clock.ts';
import type { SandboxContext } from './context.ts';
import type { SandboxChange, SandboxChangeListener } from './contracts.ts';
import { exportFixture, exportFixtureJson } from './export.ts';
import { loadFixture, parseFixture, type Fixture } from './fixture.ts';
import { TokenStore, type Installer, type OAuthApp } from './oauth/tokens.ts';
import type { RequestHandler, Router } from 'express';
import { createPlugins, type PluginOptions, type Plugins } from './plugins.ts';
import { SearchCache } from './search/cache.ts';
import { SortedIndexes } from './search/sorted-index.ts';
import { PortalStore } from './store.ts';
import { WriteLog } from './writes.ts';

/**
 * One sandbox portal on a local port (0, a free one, by default): `startSandbox` loads the fixture,
 * builds the store, the OAuth token store and the express app, and listens. Tests and the demo use the
 * returned handle; `close()` stops it.
 */

/** The app the sandbox lets install by default: the app's own development client id and secret. */
export const DEFAULT_APP: OAuthApp = {
  clientId: 'closed-loop-dev-client',
  clientSecret: 'dev-only-client-secret-0000000000000000',
  appId: 1_000_001,
  redirectUris: ['http://localhost:*', 'http://127.0.0.1:*'],
  name: 'Closed Loop (dev)',
};

export type SandboxOptions = {
  /** A parsed fixture, a raw JSON document, or a path to one. */
  fixture: Fixture | unknown | string;
  port?: number;
  host?: string;
  clock?: Clock | ClockOptions;
  apps?: OAuthApp[];
  installer?: Installer;
  accessTokenTtlMs?: number;
  /** Refuse calls whose token lacks the scope HubSpot requires (403 MISSING_SCOPES). Default true. */
  enforceScopes?: boolean;
  /** Request budget, fault switches and webhook delivery (see plugins.ts); off or generous unless set. */
  budget?: PluginOptions['budget'];
  faults?: PluginOptions['faults'];
  webhooks?: PluginOptions['webhooks'];
  /** Replaces the budget and/or fault middleware (see app.ts); extra /__sandbox/<name> control routes. */
  middlewares?: SandboxMiddlewares;
  control?: Record<string, RequestHandler | Router>;
  /** How many recent changes /__sandbox/changes keeps. */
  changeLogSize?: number;
};

export type Sandbox = {
  url: string;
  port: number;
  portalId: number;
  store: PortalStore;
  tokens: TokenStore;
  writes: WriteLog;
  clock: Clock;
  context: SandboxContext;
  /** The request budget, fault switches and (once configured) webhook deliverer. */
  plugins: Plugins;
  exportFixture(): Fixture;
  exportFixtureJson(): string;
  onChange(listener: SandboxChangeListener): () => void;
  /** An access token for the default (or given) app, without the OAuth dance. */
  issueAccessToken(scopes?: string[], clientId?: string): string;
  close(): Promise<void>;
};

/** Every scope the sandbox checks; what `issueAccessToken()` grants by default. */
export const ALL_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'tickets',
  'crm.objects.owners.read',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
  'crm.schemas.tickets.read',
  'crm.schemas.tickets.write',
];

async function resolveFixture(fixture: SandboxOptions['fixture']): Promise<Fixture> {
  if (typeof fixture === 'string') return loadFixture(fixture);
  return parseFixture(fixture);
}

/** Builds a sandbox without listening (for in-process use, e.g. supertest-style tests). */
export async function createSandbox(options: SandboxOptions) {
  const fixture = await resolveFixture(options.fixture);
  const clock =
    options.clock && 'now' in options.clock ? options.clock : createClock(options.clock as ClockOptions | undefined);
  const store = new PortalStore(fixture, { clock });
  const firstOwner = fixture.owners[0];
  const tokens = new TokenStore({
    clock,
    hubId: fixture.portalId,
    hubDomain: `portal-${fixture.portalId}.sandbox.hubspot.test`,
    apps: options.apps ?? [DEFAULT_APP],
    installer: options.installer ?? {
      userId: firstOwner ? (firstOwner.userId ?? Number(firstOwner.id)) : 1,
      email: firstOwner?.email ?? 'admin@example.com',
    },
    ...(options.accessTokenTtlMs === undefined ? {} : { accessTokenTtlMs: options.accessTokenTtlMs }),
  });
  const ctx: SandboxContext = {
    store,
    tokens,
    writes: new WriteLog(),
    searchCache: new SearchCache(),
    sortedIndexes: new SortedIndexes(),
    enforceScopes: options.enforceScopes ?? true,
  };
  const changeLog: SandboxChange[] = [];
  const keep = options.changeLogSize ?? 10_000;
  store.onChange((change) => {
    changeLog.push(change);
    if (changeLog.length > keep) changeLog.splice(0, changeLog.length - keep);
  });
  const defaultApp = (options.apps ?? [DEFAULT_APP])[0]!;
  const plugins = createPlugins(store, clock, defaultApp, {
    ...(options.budget === undefined ? {} : { budget: options.budget }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.webhooks === undefined ? {} : { webhooks: options.webhooks }),
  });
  const app = createSandboxApp(
    ctx,
    { changes: () => [...changeLog], extra: { ...plugins.controls, ...(options.control ?? {}) } },
    { ...plugins.middlewares, ...(options.middlewares ?? {}) },
  );
  return { app, ctx, clock, fixture, plugins };
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { app, ctx, clock, plugins } = await createSandbox(options);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  // The sandbox never closes an idle keep-alive socket; its clients do (undici after 4 s). Tests run
  // client and sandbox in one process: after a long synchronous stretch (comparing a 20,000-contact
  // mirror) a request can go out on a pooled socket just as the server's overdue idle timer closes it
  // (ECONNRESET). `close()` still ends idle sockets.
  server.keepAliveTimeout = 0;
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    portalId: ctx.store.portalId,
    store: ctx.store,
    tokens: ctx.tokens,
    writes: ctx.writes,
    clock,
    context: ctx,
    plugins,
    exportFixture: () => exportFixture(ctx.store),
    exportFixtureJson: () => exportFixtureJson(ctx.store),
    onChange: (listener) => ctx.store.onChange(listener),
    issueAccessToken: (scopes = ALL_SCOPES, clientId) =>
      ctx.tokens.issueAccessToken({ scopes, ...(clientId ? { clientId } : {}) }).token,
    close: async () => {
      await plugins.close();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

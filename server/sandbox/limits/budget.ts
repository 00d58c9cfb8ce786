import type { Request, RequestHandler, Response } from 'express';
import { HUBSPOT_JSON, rateLimitBody } from './bodies.ts';
import { RollingWindow } from './rolling-window.ts';

/**
 * The per-portal request budget of a HubSpot marketplace (OAuth) app, as an express 5 middleware:
 * 110 requests per rolling 10 s per installing portal, CRM search excluded and limited on its own to
 * 5 requests per second. See README.md beside this file for the sources and the decisions.
 */

export type RequestClass = 'standard' | 'search';

export type RequestBudgetSettings = {
  /** Requests accepted per rolling window and portal (HubSpot: 110 for marketplace apps). */
  perWindow: number;
  /** The rolling window, in milliseconds (HubSpot: 10 000). */
  windowMs: number;
  /** CRM search requests accepted per rolling second and portal (HubSpot: 5). */
  searchPerSecond: number;
  /**
   * Whether a refused request takes a place in the window too. Default false: HubSpot's documentation
   * says a client over its limit gets 429s "until the limit resets", and the SDK's own retry (wait
   * 10 s × attempt) only works if refusals don't keep the window full. See README.md.
   */
  countRejected: boolean;
};

export type RequestBudgetOptions = Partial<RequestBudgetSettings> & {
  /** Milliseconds since the epoch; inject one to move time by hand in tests. */
  clock?: () => number;
  /**
   * The portal a request spends from. Default: `res.locals.portalId`, which the auth middleware sets.
   * A request with no portal (undefined, null or '') is let through uncounted.
   */
  portalIdOf?: (req: Request, res: Response) => string | number | undefined | null;
  /** The app id, used only in the 429 body's `groupName`. */
  appId?: string | number;
  /** Paths never counted. Default: OAuth (`/oauth/…`) and the sandbox's control API (`/__sandbox/…`). */
  isExempt?: (path: string, req: Request) => boolean;
  /** Which requests are CRM searches. Default: `POST /crm/v3/objects/:type/search`. */
  isSearch?: (path: string, req: Request) => boolean;
};

export type BudgetCounters = {
  accepted: Record<RequestClass, number>;
  rejected: Record<RequestClass, number>;
  /** Requests on exempt paths (OAuth, control API): let through, uncounted. */
  exempt: number;
  /** Requests with no portal: let through, uncounted. */
  unattributed: number;
};

export type RequestBudget = {
  middleware: RequestHandler;
  /** Changes the limits at run time; windows keep their newest requests. Returns the new settings. */
  configure(next: Partial<RequestBudgetSettings>): RequestBudgetSettings;
  settings(): RequestBudgetSettings;
  /** Totals over all portals, or one portal's. */
  counters(portalId?: string | number): BudgetCounters;
  /** What a portal has left right now, per class, and when the next standard slot frees. */
  remaining(portalId: string | number): { standard: number; search: number; msUntilStandardSlot: number };
  /** Empties every window and zeroes the counters. */
  reset(): void;
};

export const HEADER_INTERVAL = 'X-HubSpot-RateLimit-Interval-Milliseconds';
export const HEADER_MAX = 'X-HubSpot-RateLimit-Max';
export const HEADER_REMAINING = 'X-HubSpot-RateLimit-Remaining';

const SEARCH_PATH = /^\/crm\/v3\/objects\/[^/]+\/search\/?$/;

export const defaultIsSearch = (path: string, req: Request): boolean => req.method === 'POST' && SEARCH_PATH.test(path);
export const defaultIsExempt = (path: string): boolean =>
  path === '/oauth' || path.startsWith('/oauth/') || path === '/__sandbox' || path.startsWith('/__sandbox/');
const defaultPortalIdOf = (_req: Request, res: Response) => res.locals.portalId as string | number | undefined;

/** The request's path from the application's root, whatever router it is mounted in. */
export function pathOf(req: Request): string {
  const url = req.originalUrl ?? req.url;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

type PortalState = { standard: RollingWindow; search: RollingWindow; counters: BudgetCounters };

const emptyCounters = (): BudgetCounters => ({
  accepted: { standard: 0, search: 0 },
  rejected: { standard: 0, search: 0 },
  exempt: 0,
  unattributed: 0,
});

function checkSettings(settings: RequestBudgetSettings): RequestBudgetSettings {
  for (const key of ['perWindow', 'searchPerSecond'] as const) {
    if (!Number.isInteger(settings[key]) || settings[key] < 0) throw new TypeError(`${key} must be an integer ≥ 0`);
  }
  if (!Number.isFinite(settings.windowMs) || settings.windowMs <= 0) throw new TypeError('windowMs must be > 0');
  return settings;
}

export function createRequestBudget(options: RequestBudgetOptions = {}): RequestBudget {
  let settings = checkSettings({
    perWindow: options.perWindow ?? 110,
    windowMs: options.windowMs ?? 10_000,
    searchPerSecond: options.searchPerSecond ?? 5,
    countRejected: options.countRejected ?? false,
  });
  const clock = options.clock ?? Date.now;
  const portalIdOf = options.portalIdOf ?? defaultPortalIdOf;
  const isExempt = options.isExempt ?? defaultIsExempt;
  const isSearch = options.isSearch ?? defaultIsSearch;
  const appId = options.appId === undefined ? undefined : String(options.appId);

  const portals = new Map<string, PortalState>();
  let totals = emptyCounters();

  const stateOf = (portalId: string): PortalState => {
    let state = portals.get(portalId);
    if (state === undefined) {
      state = {
        standard: new RollingWindow(settings.perWindow, settings.windowMs),
        search: new RollingWindow(settings.searchPerSecond, 1000),
        counters: emptyCounters(),
      };
      portals.set(portalId, state);
    }
    return state;
  };

  const refuse = (res: Response, policy: 'TEN_SECONDLY_ROLLING' | 'SECONDLY', portalId: string) => {
    const body = rateLimitBody(policy, { portalId, appId });
    const payload = Buffer.from(JSON.stringify(body));
    // res.end, not res.send: express would rewrite the content type to `application/json; charset=utf-8`.
    res.statusCode = 429;
    res.setHeader('Content-Type', HUBSPOT_JSON);
    res.setHeader('Content-Length', String(payload.length));
    res.setHeader('X-HubSpot-Correlation-Id', body.correlationId);
    res.end(payload);
  };

  const middleware: RequestHandler = (req, res, next) => {
    const path = pathOf(req);
    if (isExempt(path, req)) {
      totals.exempt++;
      return next();
    }
    const raw = portalIdOf(req, res);
    if (raw === undefined || raw === null || raw === '') {
      totals.unattributed++;
      return next();
    }
    const portalId = String(raw);
    const state = stateOf(portalId);
    const now = clock();

    if (isSearch(path, req)) {
      // Search answers carry no rate-limit headers, as HubSpot's don't.
      if (state.search.take(now, settings.countRejected) >= 0) {
        totals.accepted.search++;
        state.counters.accepted.search++;
        return next();
      }
      totals.rejected.search++;
      state.counters.rejected.search++;
      return refuse(res, 'SECONDLY', portalId);
    }

    const left = state.standard.take(now, settings.countRejected);
    res.setHeader(HEADER_INTERVAL, String(settings.windowMs));
    res.setHeader(HEADER_MAX, String(settings.perWindow));
    res.setHeader(HEADER_REMAINING, String(Math.max(left, 0)));
    if (left >= 0) {
      totals.accepted.standard++;
      state.counters.accepted.standard++;
      return next();
    }
    totals.rejected.standard++;
    state.counters.rejected.standard++;
    return refuse(res, 'TEN_SECONDLY_ROLLING', portalId);
  };

  const copy = (c: BudgetCounters): BudgetCounters => ({
    accepted: { ...c.accepted },
    rejected: { ...c.rejected },
    exempt: c.exempt,
    unattributed: c.unattributed,
  });

  return {
    middleware,
    configure(next) {
      settings = checkSettings({ ...settings, ...next });
      for (const state of portals.values()) {
        state.standard.resize(settings.perWindow, settings.windowMs);
        state.search.resize(settings.searchPerSecond, 1000);
      }
      return { ...settings };
    },
    settings: () => ({ ...settings }),
    counters(portalId) {
      if (portalId === undefined) return copy(totals);
      return copy(portals.get(String(portalId))?.counters ?? emptyCounters());
    },
    remaining(portalId) {
      const state = stateOf(String(portalId));
      const now = clock();
      return {
        standard: settings.perWindow - state.standard.used(now),
        search: settings.searchPerSecond - state.search.used(now),
        msUntilStandardSlot: state.standard.msUntilFree(now),
      };
    },
    reset() {
      portals.clear();
      totals = emptyCounters();
    },
  };
}

import type { Request, RequestHandler, Response } from 'express';
import { errorBody, htmlErrorPage, HUBSPOT_JSON, rateLimitBody, type RateLimitPolicy } from './bodies.ts';
import { mulberry32 } from './prng.ts';

/**
 * Fault switches: rules that make a share of the requests fail the way HubSpot fails, as an express 5
 * middleware. A seeded PRNG decides which requests, so a test is repeatable. See README.md.
 */

export type FaultKind = 'status' | 'timeout' | 'slow' | 'malformed' | 'rateLimit';

export type FaultRule = {
  /** Names the rule in counters; one is made up when absent. */
  id?: string;
  kind: FaultKind;
  /** The share of matching requests hit, 0..1 (default 1: every one). */
  share?: number;
  /** A RegExp tested on the path, or a path prefix. Absent: every path (but the control API). */
  path?: RegExp | string;
  /** An HTTP method or several (case-insensitive). Absent: every method. */
  method?: string | string[];
  /** Stop after injecting this many times. */
  times?: number;
  /** `status`: the status to answer (default 500), e.g. 500, 502, 503, 504, 423, 477. */
  status?: number;
  /** `status`: override the body's message and category. */
  message?: string;
  category?: string;
  /** `status`: answer the edge's HTML page instead of HubSpot's JSON error (real 502/504s often are). */
  html?: boolean;
  /** `status` 477 and others: a `Retry-After` header, in seconds. */
  retryAfterSeconds?: number;
  /**
   * `slow`: the delay before the request goes on (required).
   * `timeout`: hold the request this long, then drop the connection without an answer; absent, hold
   * it until the client gives up (or `releaseHeld()`/`close()`).
   */
  ms?: number;
  /** `rateLimit`: which 429 (default TEN_SECONDLY_ROLLING; SECONDLY is search's; DAILY). */
  policy?: RateLimitPolicy;
};

export type FaultCounters = {
  /** Requests the switches looked at (control-API requests excluded). */
  seen: number;
  injected: number;
  byKind: Record<FaultKind, number>;
  byRule: Record<string, number>;
  /** Requests being held by a `timeout` fault right now. */
  held: number;
};

export type FaultsOptions = {
  seed?: number;
  rules?: FaultRule[];
  /** For the 429 body's `groupName`. Default: `res.locals.portalId`. */
  portalIdOf?: (req: Request, res: Response) => string | number | undefined | null;
  appId?: string | number;
  /** Paths never faulted. Default: the control API (`/__sandbox/…`), so a test can always reach it. */
  isExempt?: (path: string, req: Request) => boolean;
};

export type Faults = {
  middleware: RequestHandler;
  /** Replaces every rule. */
  set(rules: FaultRule[]): void;
  /** Adds a rule after the others; returns its id. */
  add(rule: FaultRule): string;
  /** Removes one rule by id, or every rule. Requests already held stay held (see releaseHeld). */
  clear(id?: string): void;
  rules(): FaultRule[];
  /** Restarts the PRNG. */
  reseed(seed: number): void;
  counters(): FaultCounters;
  resetCounters(): void;
  /** Drops the connection of every request a `timeout` fault is holding. Returns how many. */
  releaseHeld(): number;
  /** Clears the rules and releases held requests. */
  close(): void;
};

const KINDS: readonly FaultKind[] = ['status', 'timeout', 'slow', 'malformed', 'rateLimit'];
const POLICIES: readonly RateLimitPolicy[] = ['TEN_SECONDLY_ROLLING', 'SECONDLY', 'DAILY'];
const REASONS: Record<number, string> = {
  423: 'Locked',
  477: 'Migration In Progress',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

type Compiled = {
  rule: FaultRule & { id: string };
  share: number;
  matchesPath: (path: string) => boolean;
  methods: Set<string> | undefined;
  remaining: number;
};

const defaultIsExempt = (path: string) => path === '/__sandbox' || path.startsWith('/__sandbox/');
const defaultPortalIdOf = (_req: Request, res: Response) => res.locals.portalId as string | number | undefined;

function pathOf(req: Request): string {
  const url = req.originalUrl ?? req.url;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function compile(rule: FaultRule, id: string): Compiled {
  if (!KINDS.includes(rule.kind)) throw new TypeError(`unknown fault kind: ${String(rule.kind)}`);
  const share = rule.share ?? 1;
  if (!(share >= 0 && share <= 1)) throw new TypeError(`share must be within 0..1, got ${share}`);
  if (rule.kind === 'status') {
    const status = rule.status ?? 500;
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new TypeError(`bad fault status ${status}`);
  }
  if (rule.kind === 'slow' && !(typeof rule.ms === 'number' && rule.ms >= 0))
    throw new TypeError('a slow fault needs ms ≥ 0');
  if (rule.ms !== undefined && !(rule.ms >= 0)) throw new TypeError('ms must be ≥ 0');
  if (rule.policy !== undefined && !POLICIES.includes(rule.policy)) throw new TypeError(`bad policy ${rule.policy}`);
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 0))
    throw new TypeError('times must be an integer ≥ 0');
  const { path } = rule;
  const matchesPath =
    path === undefined
      ? () => true
      : typeof path === 'string'
        ? (p: string) => p.startsWith(path)
        : (p: string) => {
            path.lastIndex = 0;
            return path.test(p);
          };
  const methods =
    rule.method === undefined
      ? undefined
      : new Set((Array.isArray(rule.method) ? rule.method : [rule.method]).map((m) => m.toUpperCase()));
  return {
    rule: { ...rule, id },
    share,
    matchesPath,
    methods,
    remaining: rule.times ?? Number.POSITIVE_INFINITY,
  };
}

const emptyCounters = (): FaultCounters => ({
  seen: 0,
  injected: 0,
  byKind: { status: 0, timeout: 0, slow: 0, malformed: 0, rateLimit: 0 },
  byRule: {},
  held: 0,
});

function sendRaw(res: Response, status: number, contentType: string, body: string | Buffer): void {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', String(payload.length));
  res.end(payload);
}

/**
 * Lets the route answer, then cuts its body in half (always leaving invalid JSON) and sends it as a
 * 200 with HubSpot's JSON content type: what a client sees when a response is truncated in transit.
 * The route's side effects happen, as they would on HubSpot.
 */
function truncateResponse(res: Response): void {
  const chunks: Buffer[] = [];
  const toBuffer = (chunk: unknown, encoding?: unknown): Buffer =>
    Buffer.isBuffer(chunk)
      ? chunk
      : chunk instanceof Uint8Array
        ? Buffer.from(chunk)
        : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  const end = res.end.bind(res) as (chunk: Buffer, cb?: () => void) => Response;
  const patched = res as unknown as {
    write: (...args: unknown[]) => boolean;
    end: (...args: unknown[]) => Response;
  };
  patched.write = (chunk: unknown, encoding?: unknown, cb?: unknown) => {
    if (chunk !== undefined && chunk !== null) chunks.push(toBuffer(chunk, encoding));
    const callback = typeof encoding === 'function' ? encoding : cb;
    if (typeof callback === 'function') queueMicrotask(() => (callback as () => void)());
    return true;
  };
  patched.end = (chunk?: unknown, encoding?: unknown, cb?: unknown) => {
    let callback = cb;
    if (typeof chunk === 'function') {
      callback = chunk;
      chunk = undefined;
    } else if (typeof encoding === 'function') {
      callback = encoding;
    }
    if (chunk !== undefined && chunk !== null) chunks.push(toBuffer(chunk, encoding));
    const full = Buffer.concat(chunks);
    let cut = full.subarray(0, Math.floor(full.length / 2));
    if (cut.length === 0 || parses(cut)) cut = Buffer.from('{"results":[{"id":"');
    if (!res.headersSent) {
      res.statusCode = 200;
      res.removeHeader('ETag');
      res.setHeader('Content-Type', HUBSPOT_JSON);
      res.setHeader('Content-Length', String(cut.length));
    }
    return end(cut, typeof callback === 'function' ? (callback as () => void) : undefined);
  };
}

function parses(buffer: Buffer): boolean {
  try {
    JSON.parse(buffer.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

export function createFaults(options: FaultsOptions = {}): Faults {
  let random = mulberry32(options.seed ?? 1);
  let compiled: Compiled[] = [];
  let nextId = 1;
  let counters = emptyCounters();
  const held = new Set<{ req: Request; timer: NodeJS.Timeout | undefined }>();
  const isExempt = options.isExempt ?? defaultIsExempt;
  const portalIdOf = options.portalIdOf ?? defaultPortalIdOf;
  const appId = options.appId === undefined ? undefined : String(options.appId);

  const makeId = (rule: FaultRule) => rule.id ?? `${rule.kind}-${nextId++}`;
  const set = (rules: FaultRule[]) => {
    compiled = rules.map((rule) => compile(rule, makeId(rule)));
  };
  set(options.rules ?? []);

  const inject = (c: Compiled, req: Request, res: Response, next: (err?: unknown) => void) => {
    const { rule } = c;
    switch (rule.kind) {
      case 'status': {
        const status = rule.status ?? 500;
        if (rule.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(rule.retryAfterSeconds));
        if (rule.html) {
          sendRaw(res, status, 'text/html', htmlErrorPage(status, REASONS[status] ?? 'Error'));
          return;
        }
        const body = errorBody(status, { message: rule.message, category: rule.category });
        res.setHeader('X-HubSpot-Correlation-Id', body.correlationId);
        sendRaw(res, status, HUBSPOT_JSON, JSON.stringify(body));
        return;
      }
      case 'rateLimit': {
        const raw = portalIdOf(req, res);
        const portalId = raw === undefined || raw === null || raw === '' ? undefined : String(raw);
        const body = rateLimitBody(rule.policy ?? 'TEN_SECONDLY_ROLLING', portalId, appId);
        // A budget in front may have set the headers; a 429 says nothing is left.
        if (res.hasHeader('X-HubSpot-RateLimit-Remaining')) res.setHeader('X-HubSpot-RateLimit-Remaining', '0');
        res.setHeader('X-HubSpot-Correlation-Id', body.correlationId);
        sendRaw(res, 429, HUBSPOT_JSON, JSON.stringify(body));
        return;
      }
      case 'slow': {
        setTimeout(() => next(), rule.ms ?? 0);
        return;
      }
      case 'malformed': {
        truncateResponse(res);
        next();
        return;
      }
      case 'timeout': {
        const entry = {
          req,
          timer:
            rule.ms === undefined
              ? undefined
              : setTimeout(() => {
                  held.delete(entry);
                  req.socket.destroy();
                }, rule.ms),
        };
        held.add(entry);
        req.socket.once('close', () => {
          if (entry.timer) clearTimeout(entry.timer);
          held.delete(entry);
        });
        return;
      }
    }
  };

  const middleware: RequestHandler = (req, res, next) => {
    if (compiled.length === 0) return next();
    const path = pathOf(req);
    if (isExempt(path, req)) return next();
    counters.seen++;
    for (const c of compiled) {
      if (c.remaining <= 0) continue;
      if (c.methods !== undefined && !c.methods.has(req.method)) continue;
      if (!c.matchesPath(path)) continue;
      // One draw per matching rule, whatever its share, so the sequence depends only on the requests.
      if (random() >= c.share) continue;
      c.remaining--;
      counters.injected++;
      counters.byKind[c.rule.kind]++;
      counters.byRule[c.rule.id] = (counters.byRule[c.rule.id] ?? 0) + 1;
      return inject(c, req, res, next);
    }
    return next();
  };

  const releaseHeld = () => {
    const n = held.size;
    for (const entry of [...held]) {
      if (entry.timer) clearTimeout(entry.timer);
      held.delete(entry);
      entry.req.socket.destroy();
    }
    return n;
  };

  return {
    middleware,
    set,
    add(rule) {
      const c = compile(rule, makeId(rule));
      compiled = [...compiled, c];
      return c.rule.id;
    },
    clear(id) {
      compiled = id === undefined ? [] : compiled.filter((c) => c.rule.id !== id);
    },
    rules: () => compiled.map((c) => ({ ...c.rule })),
    reseed(seed) {
      random = mulberry32(seed);
    },
    counters: () => ({
      ...counters,
      byKind: { ...counters.byKind },
      byRule: { ...counters.byRule },
      held: held.size,
    }),
    resetCounters() {
      counters = emptyCounters();
    },
    releaseHeld,
    close() {
      compiled = [];
      releaseHeld();
    },
  };
}

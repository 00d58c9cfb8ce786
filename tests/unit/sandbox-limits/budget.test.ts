import express from 'express';
import type { Request, Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createRequestBudget, type RequestBudgetOptions } from '../../../server/sandbox/limits/index.ts';
import { serve } from '../../helpers/serve-express.ts';

const PORTAL = '9000001';

/** A tiny app shaped like the sandbox: a stand-in auth middleware, the budget, then routes. */
async function start(options: RequestBudgetOptions = {}) {
  let now = 1_000_000;
  const budget = createRequestBudget({ clock: () => now, ...options });
  const app = express();
  app.use((req, res, next) => {
    res.locals.portalId = req.get('x-test-portal') ?? PORTAL;
    next();
  });
  app.use(budget.middleware);
  app.post('/crm/v3/objects/:type/search', (_req, res) => res.json({ total: 0, results: [] }));
  app.get('/crm/v3/objects/:type', (_req, res) => res.json({ results: [] }));
  app.post('/oauth/v1/token', (_req, res) => res.json({ access_token: 'x' }));
  app.get('/oauth/v1/access-tokens/:token', (_req, res) => res.json({ hub_id: 1 }));
  app.get('/__sandbox/state', (_req, res) => res.json({ ok: true }));
  const server = await serve(app);
  const get = (path: string, portal = PORTAL) => fetch(server.url + path, { headers: { 'x-test-portal': portal } });
  const search = (portal = PORTAL) =>
    fetch(`${server.url}/crm/v3/objects/contacts/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-portal': portal },
      body: '{}',
    });
  return {
    budget,
    server,
    get,
    search,
    at: (ms: number) => {
      now = 1_000_000 + ms;
    },
  };
}

let current: Awaited<ReturnType<typeof start>> | undefined;
afterEach(async () => {
  await current?.server.close();
  current = undefined;
});

const statuses = async (requests: Promise<globalThis.Response>[]) => (await Promise.all(requests)).map((r) => r.status);
const times = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);

describe('request budget: the ten-secondly rolling window', () => {
  it('allows exactly N in the window, then answers HubSpot 429s', async () => {
    current = await start({ perWindow: 5, windowMs: 10_000 });
    const { get } = current;
    for (let i = 0; i < 5; i++) expect((await get('/crm/v3/objects/contacts')).status).toBe(200);
    const refused = await get('/crm/v3/objects/contacts');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/json;charset=utf-8');
    const body = (await refused.json()) as Record<string, unknown>;
    expect(body).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      policyName: 'TEN_SECONDLY_ROLLING',
      groupName: `publicapi:oauth-api-calls-ten-secondly:${PORTAL}`,
    });
    expect(Object.keys(body)).toEqual(['status', 'message', 'errorType', 'correlationId', 'policyName', 'groupName']);
    expect(refused.headers.get('x-hubspot-correlation-id')).toBe(body.correlationId);
    expect(refused.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
  });

  it('recovers as the window slides, request by request (rolling, not fixed buckets)', async () => {
    current = await start({ perWindow: 5, windowMs: 10_000 });
    const { get, at } = current;
    at(0);
    expect(await statuses(times(3, () => get('/crm/v3/objects/contacts')))).toEqual([200, 200, 200]);
    at(4_000);
    expect(await statuses(times(2, () => get('/crm/v3/objects/contacts')))).toEqual([200, 200]);
    at(9_999);
    expect((await get('/crm/v3/objects/contacts')).status).toBe(429);
    // A fixed 10 s bucket starting at 0 would reset everything at 10 000; a rolling window frees
    // only the three requests made at 0.
    at(10_000);
    expect(await statuses(times(4, () => get('/crm/v3/objects/contacts')))).toEqual([200, 200, 200, 429]);
    at(13_999);
    expect((await get('/crm/v3/objects/contacts')).status).toBe(429);
    at(14_000);
    expect(await statuses(times(3, () => get('/crm/v3/objects/contacts')))).toEqual([200, 200, 429]);
  });

  it('sends the rate-limit headers, Remaining counting down', async () => {
    current = await start({ perWindow: 4, windowMs: 10_000 });
    const seen: (string | null)[][] = [];
    for (let i = 0; i < 5; i++) {
      const r = await current.get('/crm/v3/objects/deals');
      seen.push([
        r.headers.get('x-hubspot-ratelimit-interval-milliseconds'),
        r.headers.get('x-hubspot-ratelimit-max'),
        r.headers.get('x-hubspot-ratelimit-remaining'),
      ]);
    }
    expect(seen).toEqual([
      ['10000', '4', '3'],
      ['10000', '4', '2'],
      ['10000', '4', '1'],
      ['10000', '4', '0'],
      ['10000', '4', '0'],
    ]);
  });

  it('defaults to HubSpot’s 110 per 10 s for a marketplace app', async () => {
    current = await start();
    const first = await current.get('/crm/v3/objects/contacts');
    expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(first.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('109');
    expect(await statuses(times(109, () => current!.get('/crm/v3/objects/contacts')))).toEqual(times(109, () => 200));
    expect((await current.get('/crm/v3/objects/contacts')).status).toBe(429);
  });

  it('keeps one budget per portal', async () => {
    current = await start({ perWindow: 2 });
    const { get } = current;
    expect(await statuses([get('/crm/v3/objects/contacts', 'A'), get('/crm/v3/objects/contacts', 'A')])).toEqual([
      200, 200,
    ]);
    expect((await get('/crm/v3/objects/contacts', 'A')).status).toBe(429);
    expect((await get('/crm/v3/objects/contacts', 'B')).status).toBe(200);
    expect(current.budget.counters('A').rejected.standard).toBe(1);
    expect(current.budget.counters('B').accepted.standard).toBe(1);
  });

  it('does not count OAuth or control-API requests, and gives them no rate-limit headers', async () => {
    current = await start({ perWindow: 1 });
    const { get } = current;
    for (let i = 0; i < 5; i++) {
      const token = await fetch(`${current.server.url}/oauth/v1/token`, { method: 'POST' });
      expect(token.status).toBe(200);
      expect(token.headers.get('x-hubspot-ratelimit-remaining')).toBeNull();
      expect((await get('/oauth/v1/access-tokens/abc')).status).toBe(200);
      expect((await get('/__sandbox/state')).status).toBe(200);
    }
    expect((await get('/crm/v3/objects/contacts')).headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(current.budget.counters()).toMatchObject({ exempt: 15, accepted: { standard: 1, search: 0 } });
  });
});

describe('request budget: CRM search', () => {
  it('has its own 5 per second, outside the 110, with the secondly body and no rate-limit headers', async () => {
    current = await start({ perWindow: 3 });
    const { search, get, at } = current;
    at(0);
    const ok = await Promise.all(times(5, () => search()));
    expect(ok.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const r of ok) expect(r.headers.get('x-hubspot-ratelimit-remaining')).toBeNull();
    const refused = await search();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-hubspot-ratelimit-remaining')).toBeNull();
    expect(refused.headers.get('x-hubspot-ratelimit-max')).toBeNull();
    expect(await refused.json()).toEqual({
      status: 'error',
      message: 'You have reached your secondly limit.',
      errorType: 'RATE_LIMIT',
      correlationId: expect.any(String),
      policyName: 'SECONDLY',
      groupName: `publicapi:oauth-api-calls-secondly:${PORTAL}`,
    });
    // The searches took nothing from the standard budget.
    expect((await get('/crm/v3/objects/contacts')).headers.get('x-hubspot-ratelimit-remaining')).toBe('2');
    at(999);
    expect((await search()).status).toBe(429);
    at(1_000);
    expect(await statuses(times(6, () => search()))).toEqual([200, 200, 200, 200, 200, 429]);
    expect(current.budget.counters()).toMatchObject({
      accepted: { standard: 1, search: 10 },
      rejected: { standard: 0, search: 3 },
    });
  });

  it('counts only POST …/search as search', async () => {
    current = await start({ perWindow: 1, searchPerSecond: 0 });
    // A GET of an object called "search" is an ordinary read.
    const read = await current.get('/crm/v3/objects/contacts/search');
    expect(read.status).toBe(404);
    expect(read.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect((await current.search()).status).toBe(429);
  });
});

describe('request budget: refusals, runtime changes, counters', () => {
  it('does not let refused requests keep the window full (default)', async () => {
    current = await start({ perWindow: 2, windowMs: 10_000 });
    const { get, at } = current;
    at(0);
    await statuses(times(2, () => get('/crm/v3/objects/contacts')));
    for (const t of [1_000, 5_000, 9_000]) {
      at(t);
      expect(await statuses(times(10, () => get('/crm/v3/objects/contacts')))).toEqual(times(10, () => 429));
    }
    at(10_000);
    expect(await statuses(times(3, () => get('/crm/v3/objects/contacts')))).toEqual([200, 200, 429]);
    expect(current.budget.counters().rejected.standard).toBe(31);
  });

  it('can count refusals when asked, so a client that hammers stays locked out', async () => {
    current = await start({ perWindow: 2, windowMs: 10_000, countRejected: true });
    const { get, at } = current;
    at(0);
    await statuses(times(2, () => get('/crm/v3/objects/contacts')));
    at(9_000);
    expect(await statuses(times(2, () => get('/crm/v3/objects/contacts')))).toEqual([429, 429]);
    // The two accepted at 0 have left the window, but the two refused at 9 000 fill it.
    at(10_000);
    expect((await get('/crm/v3/objects/contacts')).status).toBe(429);
    at(18_999);
    expect((await get('/crm/v3/objects/contacts')).status).toBe(429);
    // (9 000, 19 000] holds the refusals made at 10 000 and 18 999: still two.
    at(19_000);
    expect((await get('/crm/v3/objects/contacts')).status).toBe(429);
    at(28_999);
    expect((await get('/crm/v3/objects/contacts')).status).toBe(200);
  });

  it('is reconfigurable at run time (e.g. 10 per second in a test)', async () => {
    current = await start();
    const { budget, get, at } = current;
    at(0);
    expect((await get('/crm/v3/objects/contacts')).headers.get('x-hubspot-ratelimit-remaining')).toBe('109');
    expect(budget.configure({ perWindow: 10, windowMs: 1_000 })).toEqual({
      perWindow: 10,
      windowMs: 1_000,
      searchPerSecond: 5,
      countRejected: false,
    });
    // The request already made stays in the new window.
    const burst = await statuses(times(10, () => get('/crm/v3/objects/contacts')));
    expect(burst.filter((s) => s === 200)).toHaveLength(9);
    expect(burst.filter((s) => s === 429)).toHaveLength(1);
    at(1_000);
    const next = await get('/crm/v3/objects/contacts');
    expect(next.status).toBe(200);
    expect(next.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('1000');
    expect(next.headers.get('x-hubspot-ratelimit-max')).toBe('10');
    expect(budget.remaining(PORTAL)).toMatchObject({ standard: 9, search: 5 });
    expect(() => budget.configure({ perWindow: -1 })).toThrow(TypeError);
  });

  it('tells when the next slot frees, and resets', async () => {
    current = await start({ perWindow: 2, windowMs: 10_000 });
    const { budget, get, at } = current;
    at(0);
    await get('/crm/v3/objects/contacts');
    at(3_000);
    await get('/crm/v3/objects/contacts');
    at(4_000);
    expect(budget.remaining(PORTAL)).toEqual({ standard: 0, search: 5, msUntilStandardSlot: 6_000 });
    budget.reset();
    expect(budget.remaining(PORTAL)).toEqual({ standard: 2, search: 5, msUntilStandardSlot: 0 });
    expect(budget.counters()).toEqual({
      accepted: { standard: 0, search: 0 },
      rejected: { standard: 0, search: 0 },
      exempt: 0,
      unattributed: 0,
    });
  });

  it('lets a request with no portal through uncounted, and reads the portal where told', async () => {
    const portalIdOf = (req: Request, _res: Response) => req.get('x-portal');
    const budget = createRequestBudget({ perWindow: 1, portalIdOf, appId: 77 });
    const app = express();
    app.use(budget.middleware);
    app.get('/crm/v3/objects/contacts', (_req, res) => res.json({ results: [] }));
    const server = await serve(app);
    try {
      const url = `${server.url}/crm/v3/objects/contacts`;
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(url, { headers: { 'x-portal': '42' } })).status).toBe(200);
      const refused = await fetch(url, { headers: { 'x-portal': '42' } });
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { groupName: string }).groupName).toBe(
        'publicapi:oauth-api-calls-ten-secondly:77:42',
      );
      expect(budget.counters().unattributed).toBe(2);
    } finally {
      await server.close();
    }
  });
});

describe('request budget: cost', () => {
  it('takes well under a microsecond or two per request', () => {
    let now = 0;
    const budget = createRequestBudget({ perWindow: 110, clock: () => now });
    const headers: Record<string, string> = {};
    const req = { method: 'GET', originalUrl: '/crm/v3/objects/contacts?limit=100', url: '' } as unknown as Request;
    const res = {
      locals: { portalId: PORTAL },
      setHeader: (k: string, v: string) => {
        headers[k] = v;
      },
      end: () => undefined,
    } as unknown as Response;
    let passed = 0;
    const next = () => {
      passed++;
    };
    const n = 200_000;
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      now += 100; // 10 per second: always under 110 per 10 s
      budget.middleware(req, res, next);
    }
    const elapsed = performance.now() - started;
    expect(passed).toBe(n);
    expect(elapsed).toBeLessThan(2_000);
  });
});

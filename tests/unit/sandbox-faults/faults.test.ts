import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createFaults, type FaultRule, type FaultsOptions } from '../../../server/sandbox/faults/index.ts';
import { serve } from '../../helpers/serve-express.ts';

const CONTACT = { id: '101', properties: { email: 'ana@example.com', lifecyclestage: 'lead' }, archived: false };

/** A tiny app shaped like the sandbox: auth stand-in → faults → routes. */
async function start(options: FaultsOptions = {}) {
  const faults = createFaults(options);
  const writes: string[] = [];
  const app = express();
  app.use((_req, res, next) => {
    res.locals.portalId = 9000001;
    next();
  });
  app.use(faults.middleware);
  app.use(express.json());
  app.get('/crm/v3/objects/contacts', (_req, res) => res.json({ results: [CONTACT] }));
  app.get('/crm/v3/objects/contacts/:id', (_req, res) => res.json(CONTACT));
  app.patch('/crm/v3/objects/contacts/:id', (req, res) => {
    writes.push(req.params.id);
    res.json({ ...CONTACT, properties: { ...CONTACT.properties, ...req.body.properties } });
  });
  app.get('/crm/v3/objects/deals', (_req, res) => res.json({ results: [] }));
  app.post('/oauth/v1/token', (_req, res) => res.json({ access_token: 'a' }));
  app.get('/__sandbox/faults', (_req, res) => res.json(faults.counters()));
  const server = await serve(app);
  return { faults, server, writes, url: server.url };
}

let current: Awaited<ReturnType<typeof start>> | undefined;
afterEach(async () => {
  current?.faults.close();
  await current?.server.close();
  current = undefined;
});

/** Sends `n` requests one after the other (so the PRNG sees them in a fixed order). */
async function sequence(url: string, n: number, init?: RequestInit): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await fetch(url, init);
    await r.arrayBuffer();
    out.push(r.status);
  }
  return out;
}

describe('fault switches: share, seed, scope', () => {
  it('hits roughly the configured share, only on the configured path, repeatably for a seed', async () => {
    const rules: FaultRule[] = [
      { id: 'contacts-500', kind: 'status', status: 500, share: 0.3, path: '/crm/v3/objects/contacts' },
    ];
    current = await start({ seed: 42, rules });
    const contacts = await sequence(`${current.url}/crm/v3/objects/contacts`, 200);
    const deals = await sequence(`${current.url}/crm/v3/objects/deals`, 50);
    const failed = contacts.filter((s) => s === 500).length;
    // 200 × 0.3 = 60, σ ≈ 6.5
    expect(failed).toBeGreaterThan(60 - 25);
    expect(failed).toBeLessThan(60 + 25);
    expect(contacts.filter((s) => s !== 500).every((s) => s === 200)).toBe(true);
    expect(deals.every((s) => s === 200)).toBe(true);
    expect(current.faults.counters()).toMatchObject({
      seen: 250,
      injected: failed,
      byKind: { status: failed },
      byRule: { 'contacts-500': failed },
    });

    // The same seed and the same requests give the same failures.
    const again = await start({ seed: 42, rules });
    try {
      expect(await sequence(`${again.url}/crm/v3/objects/contacts`, 200)).toEqual(contacts);
    } finally {
      await again.server.close();
    }
    // Another seed, another pattern (with overwhelming probability).
    current.faults.reseed(7);
    expect(await sequence(`${current.url}/crm/v3/objects/contacts`, 200)).not.toEqual(contacts);
  }, 30_000);

  it('converges on the share over many requests (middleware called directly)', () => {
    const faults = createFaults({ seed: 3, rules: [{ kind: 'status', status: 503, share: 0.05, path: /\/deals/ }] });
    const answered: number[] = [];
    const res = {
      locals: {},
      statusCode: 200,
      setHeader: () => undefined,
      end() {
        answered.push(this.statusCode);
      },
    };
    let passed = 0;
    for (let i = 0; i < 20_000; i++) {
      const req = { method: 'GET', originalUrl: i % 2 === 0 ? '/crm/v3/objects/deals' : '/crm/v3/objects/contacts' };
      faults.middleware(req as never, res as never, () => {
        passed++;
      });
    }
    // 10 000 deal requests × 0.05 = 500, σ ≈ 22
    expect(answered.length).toBeGreaterThan(420);
    expect(answered.length).toBeLessThan(580);
    expect(answered.every((s) => s === 503)).toBe(true);
    expect(passed + answered.length).toBe(20_000);
  });

  it('matches a RegExp path and a method', async () => {
    current = await start({
      rules: [{ kind: 'status', status: 503, path: /^\/crm\/v3\/objects\/contacts\/\d+$/, method: 'patch' }],
    });
    const { url } = current;
    expect((await fetch(`${url}/crm/v3/objects/contacts/101`)).status).toBe(200);
    expect((await fetch(`${url}/crm/v3/objects/contacts`)).status).toBe(200);
    const patch = await fetch(`${url}/crm/v3/objects/contacts/101`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { lifecyclestage: 'customer' } }),
    });
    expect(patch.status).toBe(503);
    expect(current.writes).toEqual([]);
  });

  it('never faults the control API, so a test can always switch faults off', async () => {
    current = await start({ rules: [{ kind: 'status', status: 500 }] });
    expect((await fetch(`${current.url}/crm/v3/objects/deals`)).status).toBe(500);
    expect((await fetch(`${current.url}/oauth/v1/token`, { method: 'POST' })).status).toBe(500);
    const control = await fetch(`${current.url}/__sandbox/faults`);
    expect(control.status).toBe(200);
    expect(await control.json()).toMatchObject({ seen: 2, injected: 2 });
  });

  it('is set and cleared at run time, and stops after `times`', async () => {
    current = await start();
    const { faults, url } = current;
    expect((await fetch(`${url}/crm/v3/objects/deals`)).status).toBe(200);
    const id = faults.add({ kind: 'status', status: 502, times: 2 });
    expect(faults.rules()).toEqual([{ kind: 'status', status: 502, times: 2, id }]);
    expect(await sequence(`${url}/crm/v3/objects/deals`, 4)).toEqual([502, 502, 200, 200]);
    faults.set([{ id: 'always', kind: 'status', status: 504 }]);
    expect((await fetch(`${url}/crm/v3/objects/deals`)).status).toBe(504);
    faults.clear('always');
    expect((await fetch(`${url}/crm/v3/objects/deals`)).status).toBe(200);
    expect(faults.counters()).toMatchObject({ injected: 3, byRule: { [id]: 2, always: 1 } });
    faults.resetCounters();
    expect(faults.counters().injected).toBe(0);
    expect(() => faults.add({ kind: 'status', share: 1.5 })).toThrow(TypeError);
    expect(() => faults.add({ kind: 'slow' })).toThrow(TypeError);
  });
});

describe('fault switches: what each fault answers', () => {
  it('status: HubSpot’s error body, JSON content type, correlation id', async () => {
    current = await start({
      rules: [
        { kind: 'status', status: 423, path: '/crm/v3/objects/deals' },
        { kind: 'status', status: 500, message: 'custom', category: 'X', path: '/crm/v3/objects/contacts' },
      ],
    });
    const locked = await fetch(`${current.url}/crm/v3/objects/deals`);
    expect(locked.status).toBe(423);
    expect(locked.headers.get('content-type')).toBe('application/json;charset=utf-8');
    const body = (await locked.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['status', 'message', 'correlationId', 'category']);
    expect(body).toMatchObject({ status: 'error', category: 'LOCKED' });
    expect(locked.headers.get('x-hubspot-correlation-id')).toBe(body.correlationId);
    const custom = await fetch(`${current.url}/crm/v3/objects/contacts`);
    expect(await custom.json()).toMatchObject({ status: 'error', message: 'custom', category: 'X' });
  });

  it('status: the edge’s HTML page when asked, and Retry-After', async () => {
    current = await start({ rules: [{ kind: 'status', status: 502, html: true, retryAfterSeconds: 3 }] });
    const r = await fetch(`${current.url}/crm/v3/objects/deals`);
    expect(r.status).toBe(502);
    expect(r.headers.get('content-type')).toBe('text/html');
    expect(r.headers.get('retry-after')).toBe('3');
    expect(await r.text()).toContain('<h1>502 Bad Gateway</h1>');
  });

  it('rateLimit: a 429 the SDK recognises, ten-secondly or secondly', async () => {
    current = await start({
      appId: 55,
      rules: [
        { kind: 'rateLimit', path: '/crm/v3/objects/deals' },
        { kind: 'rateLimit', policy: 'SECONDLY', path: '/crm/v3/objects/contacts' },
      ],
    });
    const burst = await fetch(`${current.url}/crm/v3/objects/deals`);
    expect(burst.status).toBe(429);
    expect(await burst.json()).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: expect.any(String),
      policyName: 'TEN_SECONDLY_ROLLING',
      groupName: 'publicapi:oauth-api-calls-ten-secondly:55:9000001',
    });
    const search = await fetch(`${current.url}/crm/v3/objects/contacts`);
    expect(await search.json()).toMatchObject({
      message: 'You have reached your secondly limit.',
      policyName: 'SECONDLY',
    });
  });

  it('malformed: a 200 with the JSON content type and a truncated body, after the route ran', async () => {
    current = await start({ rules: [{ kind: 'malformed', method: 'PATCH' }] });
    const r = await fetch(`${current.url}/crm/v3/objects/contacts/101`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { lifecyclestage: 'customer' } }),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json;charset=utf-8');
    const text = await r.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(JSON.stringify({ ...CONTACT, properties: { ...CONTACT.properties, lifecyclestage: 'customer' } })).toMatch(
      new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    expect(current.writes).toEqual(['101']);
  });

  it('slow: delays, then the route answers', async () => {
    current = await start({ rules: [{ kind: 'slow', ms: 150 }] });
    const started = performance.now();
    const r = await fetch(`${current.url}/crm/v3/objects/contacts`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ results: [CONTACT] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('timeout: holds the request until the client gives up', async () => {
    current = await start({ rules: [{ kind: 'timeout', path: '/crm/v3/objects/deals' }] });
    const started = performance.now();
    const error = await fetch(`${current.url}/crm/v3/objects/deals`, { signal: AbortSignal.timeout(200) }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('TimeoutError');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    // The server sees the client's socket close a moment later.
    for (let i = 0; i < 200 && current.faults.counters().held > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(current.faults.counters()).toMatchObject({ held: 0, byKind: { timeout: 1 } });
    expect((await fetch(`${current.url}/crm/v3/objects/contacts`)).status).toBe(200);
  });

  it('timeout with ms: drops the connection without an answer after ms', async () => {
    current = await start({ rules: [{ kind: 'timeout', ms: 100, times: 1 }] });
    const started = performance.now();
    const error = await fetch(`${current.url}/crm/v3/objects/deals`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError); // undici: "fetch failed", cause: socket closed
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect((await fetch(`${current.url}/crm/v3/objects/deals`)).status).toBe(200);
  });

  it('releaseHeld drops held requests', async () => {
    current = await start({ rules: [{ kind: 'timeout' }] });
    const pending = fetch(`${current.url}/crm/v3/objects/deals`).catch((e: unknown) => e);
    while (current.faults.counters().held === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(current.faults.releaseHeld()).toBe(1);
    expect(await pending).toBeInstanceOf(TypeError);
    expect(current.faults.counters().held).toBe(0);
  });
});

import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HubSpotApiError } from '../../../server/hubspot/errors.ts';
import { PortalHubSpotClient, budgetClassOf, type AccessTokens } from '../../../server/hubspot/portal-client.ts';
import type { BudgetClass } from '../../../server/hubspot/request-budget.ts';

const BASE = 'https://api.hubapi.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const page = {
  results: [
    { id: '1', properties: {}, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', archived: false },
  ],
};

function harness(tokenSequence = ['token-1', 'token-2']) {
  const acquired: BudgetClass[] = [];
  const pauses: number[] = [];
  const refusedTokens: string[] = [];
  const reauthNeeded: number[] = [];
  let current = tokenSequence[0]!;
  const tokens: AccessTokens = {
    current: async () => current,
    afterUnauthorized: async (_portalId, refused) => {
      refusedTokens.push(refused);
      current = tokenSequence[refusedTokens.length] ?? current;
      return current;
    },
    unauthorizedAfterRefresh: async (portalId) => void reauthNeeded.push(portalId),
  };
  const outcomes: string[] = [];
  const client = new PortalHubSpotClient({
    portalId: 77,
    basePath: BASE,
    tokens,
    budget: { acquire: async (_p, c) => void acquired.push(c), pause: async (_p, _c, ms) => void pauses.push(ms) },
    counters: { record: (_p, outcome) => void outcomes.push(outcome) },
    timeoutMs: 500,
    random: () => 0,
  });
  const list = () => client.call((sdk) => sdk.crm.contacts.basicApi.getPage(10), { idempotent: true });
  return { client, list, acquired, pauses, refusedTokens, reauthNeeded, outcomes };
}

describe('PortalHubSpotClient', () => {
  it('sends the portal token through the budget and parses the typed answer', async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/crm/v3/objects/contacts`, ({ request }) => {
        seen.push(request.headers.get('authorization'));
        return HttpResponse.json(page);
      }),
    );
    const h = harness();
    const result = await h.list();
    expect(result.results[0]?.createdAt).toBeInstanceOf(Date);
    expect(seen).toEqual(['Bearer token-1']);
    expect(h.acquired).toEqual(['standard']);
    expect(h.outcomes).toEqual(['ok']);
  });

  it('retries a transient failure of an idempotent call, each attempt through the budget', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/crm/v3/objects/contacts`, () =>
        ++calls < 3
          ? HttpResponse.json({ status: 'error', message: 'bad gateway' }, { status: 502 })
          : HttpResponse.json(page),
      ),
    );
    const h = harness();
    await h.list();
    expect(calls).toBe(3);
    expect(h.acquired).toHaveLength(3);
    expect(h.outcomes).toEqual(['error', 'error', 'ok']);
  });

  it('does not resend a non-idempotent call after a transient failure', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/crm/v3/objects/deals/batch/create`, () => {
        calls++;
        return HttpResponse.json({ status: 'error', message: 'oops' }, { status: 500 });
      }),
    );
    const h = harness();
    await expect(
      h.client.call((sdk) => sdk.crm.deals.batchApi.create({ inputs: [{ properties: {}, associations: [] }] }), {
        idempotent: false,
      }),
    ).rejects.toMatchObject({ kind: 'transient', status: 500 });
    expect(calls).toBe(1);
  });

  it('refreshes once after a 401 and retries with the new token', async () => {
    server.use(
      http.get(`${BASE}/crm/v3/objects/contacts`, ({ request }) =>
        request.headers.get('authorization') === 'Bearer token-2'
          ? HttpResponse.json(page)
          : HttpResponse.json(
              { status: 'error', message: 'expired', category: 'EXPIRED_AUTHENTICATION' },
              { status: 401 },
            ),
      ),
    );
    const h = harness();
    await h.list();
    expect(h.refusedTokens).toEqual(['token-1']);
    expect(h.reauthNeeded).toEqual([]);
  });

  it('gives up after a second 401 with an unauthorized error', async () => {
    server.use(
      http.get(`${BASE}/crm/v3/objects/contacts`, () =>
        HttpResponse.json({ status: 'error', message: 'nope', category: 'INVALID_AUTHENTICATION' }, { status: 401 }),
      ),
    );
    const h = harness();
    await expect(h.list()).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(h.refusedTokens).toHaveLength(1);
    expect(h.reauthNeeded).toEqual([77]);
  });

  it('pauses the portal on a 429 and then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/crm/v3/objects/contacts`, () =>
        ++calls === 1
          ? HttpResponse.json(
              {
                status: 'error',
                message: 'You have reached your ten_secondly_rolling limit.',
                errorType: 'RATE_LIMIT',
                policyName: 'TEN_SECONDLY_ROLLING',
              },
              {
                status: 429,
                headers: { 'X-HubSpot-RateLimit-Interval-Milliseconds': '1000', 'X-HubSpot-RateLimit-Max': '10' },
              },
            )
          : HttpResponse.json(page),
      ),
    );
    const h = harness();
    await h.list();
    expect(h.pauses).toEqual([100]);
    expect(h.outcomes).toEqual(['rate_limited', 'ok']);
  });

  it('never retries a validation error and keeps HubSpot’s message', async () => {
    server.use(
      http.post(`${BASE}/crm/v3/objects/contacts/search`, () =>
        HttpResponse.json(
          {
            status: 'error',
            message: 'There was a problem with the request.',
            category: 'VALIDATION_ERROR',
            correlationId: 'c-1',
          },
          { status: 400 },
        ),
      ),
    );
    const h = harness();
    const error = await h.client
      .call((sdk) => sdk.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 10 }), { idempotent: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(error).toMatchObject({ kind: 'validation', correlationId: 'c-1' });
    expect((error as Error).message).toContain('There was a problem with the request.');
    expect(h.acquired).toEqual(['search']);
  });

  it('treats an unreadable body and a hung request as transient', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/crm/v3/objects/contacts`, async () => {
        calls++;
        if (calls === 1) return new HttpResponse('{"results": [', { headers: { 'Content-Type': 'application/json' } });
        if (calls === 2) await new Promise((resolve) => setTimeout(resolve, 2_000));
        return HttpResponse.json(page);
      }),
    );
    const h = harness();
    await h.list();
    expect(calls).toBe(3);
  });

  it('classes only search paths as search', () => {
    expect(budgetClassOf(`${BASE}/crm/v3/objects/deals/search`)).toBe('search');
    expect(budgetClassOf(`${BASE}/crm/v3/objects/deals/batch/read`)).toBe('standard');
  });
});

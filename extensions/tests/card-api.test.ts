import { describe, expect, it } from 'vitest';
import { callCardApi, type HubSpotFetch } from '../lib/card-api.ts';

const decodeScore = (value: unknown) =>
  typeof value === 'object' && value !== null && typeof (value as { score?: unknown }).score === 'number'
    ? (value as { score: number })
    : undefined;

function answering(status: number, body: unknown): { fetch: HubSpotFetch; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const fetch: HubSpotFetch = async (url, options) => {
    calls.push([url, options]);
    return { ok: status < 300, status, json: async () => body };
  };
  return { fetch, calls };
}

describe('callCardApi', () => {
  it('posts a JSON body to the backend URL and returns the decoded data', async () => {
    const { fetch, calls } = answering(200, { ok: true, data: { score: 80 } });
    const result = await callCardApi(fetch, 'https://api.example.com', '/cards/deal', { dealId: 7 }, decodeScore);
    expect(result).toEqual({ ok: true, data: { score: 80 } });
    expect(calls).toEqual([
      ['https://api.example.com/cards/deal', { method: 'POST', body: { dealId: 7 }, timeout: 15_000 }],
    ]);
  });

  it("shows the backend's own message for a refused request, with its code when it sends one", async () => {
    const { fetch } = answering(200, { ok: false, error: { message: 'tier_9 is not an ICP tier option' } });
    expect(await callCardApi(fetch, 'https://api.example.com', '/x', {}, decodeScore)).toStrictEqual({
      ok: false,
      message: 'tier_9 is not an ICP tier option',
    });
    const coded = answering(200, { ok: false, error: { code: 'refused', message: 'Nothing was changed.' } });
    expect(await callCardApi(coded.fetch, 'https://api.example.com', '/x', {}, decodeScore)).toStrictEqual({
      ok: false,
      message: 'Nothing was changed.',
      code: 'refused',
    });
  });

  it('turns proxy errors, transport failures and unexpected shapes into a readable failure', async () => {
    const failing: HubSpotFetch = async () => {
      throw new Error('socket hang up');
    };
    expect((await callCardApi(failing, 'https://a.example', '/x', {}, decodeScore)).ok).toBe(false);
    expect(await callCardApi(answering(502, {}).fetch, 'https://a.example', '/x', {}, decodeScore)).toEqual({
      ok: false,
      message: 'Closed Loop answered with an error (HTTP 502).',
    });
    const wrongShape = await callCardApi(
      answering(200, { ok: true, data: { score: 'high' } }).fetch,
      'https://a.example',
      '/x',
      {},
      decodeScore,
    );
    expect(wrongShape.ok).toBe(false);
  });
});

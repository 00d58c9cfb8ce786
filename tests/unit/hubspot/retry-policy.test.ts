import { describe, expect, it } from 'vitest';
import { HubSpotApiError, kindOfStatus, toHubSpotError } from '../../../server/hubspot/errors.ts';
import { MAX_ATTEMPTS, decideRetry } from '../../../server/hubspot/retry-policy.ts';

const error = (status: number, headers: Record<string, string> = {}) =>
  new HubSpotApiError(kindOfStatus(status), status, {}, headers);

describe('error kinds', () => {
  it.each([
    [429, 'rate_limited'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [400, 'validation'],
    [422, 'validation'],
    [423, 'transient'],
    [477, 'transient'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [504, 'transient'],
    [524, 'transient'],
  ])('HTTP %i is %s', (status, kind) => {
    expect(kindOfStatus(status)).toBe(kind);
  });

  it("reads the SDK's ApiException and a dropped connection", () => {
    const fromSdk = toHubSpotError({
      code: 404,
      body: '{"message":"Object not found","correlationId":"x"}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(fromSdk).toMatchObject({ kind: 'not_found', status: 404, correlationId: 'x' });
    expect(fromSdk.headers['content-type']).toBe('application/json');
    expect(toHubSpotError(new TypeError('fetch failed')).kind).toBe('transient');
  });
});

describe('decideRetry', () => {
  it('backs off exponentially with jitter, capped, for transient errors of idempotent calls', () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) => decideRetry(error(503), attempt, true, () => 0.999));
    const ms = delays.map((d) => (d.retry ? d.delayMs : -1));
    expect(ms.every((d, i) => i === 0 || d >= ms[i - 1]!)).toBe(true);
    expect(Math.max(...ms)).toBeLessThanOrEqual(10_050);
    expect(decideRetry(error(503), MAX_ATTEMPTS, true)).toEqual({ retry: false });
    expect(decideRetry(error(503), 1, false)).toEqual({ retry: false });
  });

  it('waits on 429 by Retry-After when given, else by the rate-limit interval', () => {
    expect(decideRetry(error(429, { 'retry-after': '2' }), 1, false, () => 0)).toEqual({ retry: true, delayMs: 2_000 });
    expect(
      decideRetry(error(429, { 'x-hubspot-ratelimit-interval-milliseconds': '10000' }), 1, false, () => 0),
    ).toEqual({
      retry: true,
      delayMs: 1_000,
    });
  });

  it('never retries validation, conflict, forbidden or not-found', () => {
    for (const status of [400, 403, 404, 409]) expect(decideRetry(error(status), 1, true)).toEqual({ retry: false });
  });
});

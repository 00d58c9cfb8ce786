import type { HubSpotApiError } from './errors.ts';

/**
 * When to try a failed HubSpot call again, and after how long. Pure (randomness comes in as
 * `random`), so the schedule is tested directly.
 */
export type RetryDecision = { retry: false } | { retry: true; delayMs: number };

export const MAX_ATTEMPTS = 6;
const BASE_MS = 250;
const CAP_MS = 10_000;

export function decideRetry(
  error: HubSpotApiError,
  attempt: number,
  idempotent: boolean,
  random: () => number = Math.random,
): RetryDecision {
  if (attempt >= MAX_ATTEMPTS) return { retry: false };
  switch (error.kind) {
    case 'rate_limited':
      // HubSpot's 429 carries no Retry-After that can be relied on; the interval header says how
      // long the window is, so wait a share of it. A rejected request had no effect: always safe.
      return { retry: true, delayMs: rateLimitDelay(error, random) };
    case 'transient':
      if (!idempotent) return { retry: false };
      // Exponential backoff with full jitter: spreads retries of many workers over time.
      return { retry: true, delayMs: Math.floor(random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt)) + 50 };
    default:
      // unauthorized is retried by the token layer after a refresh, not here.
      return { retry: false };
  }
}

function rateLimitDelay(error: HubSpotApiError, random: () => number): number {
  const retryAfterSeconds = Number(error.headers['retry-after']);
  if (Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0) return retryAfterSeconds * 1_000;
  const interval = Number(error.headers['x-hubspot-ratelimit-interval-milliseconds']);
  const base = Number.isFinite(interval) && interval > 0 ? interval / 10 : 1_000;
  return Math.floor(base + random() * base);
}

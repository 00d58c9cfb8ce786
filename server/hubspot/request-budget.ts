import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A portal's HubSpot request budget, shared by every process that calls HubSpot for it.
 *
 * HubSpot allows a marketplace app 110 requests per rolling 10 s per installed portal, and CRM search
 * 5 per second on top. The SDK's limiter is per process and off by default, so with several workers
 * the app would only find the limit by hitting it. Instead each attempt takes a slot in a Redis
 * sliding-window log (one sorted set per portal and class, timed by Redis's own clock so processes
 * on different machines agree) and waits when none is free: the app paces itself under the limit.
 *
 * A guard is added to the window because a request admitted here arrives at HubSpot a little later,
 * and HubSpot's window is measured at arrival.
 */

export type BudgetClass = 'standard' | 'search';
export type BudgetLimit = { max: number; windowMs: number };
export type BudgetLimits = Record<BudgetClass, BudgetLimit>;

export const HUBSPOT_MARKETPLACE_LIMITS: BudgetLimits = {
  standard: { max: 110, windowMs: 10_000 },
  search: { max: 5, windowMs: 1_000 },
};

// Returns 0 when a slot was taken, else how many ms to wait before asking again.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local pausedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
if pausedUntil > now then return pausedUntil - now end
local max = tonumber(ARGV[1])
local span = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - span)
if redis.call('ZCARD', KEYS[1]) < max then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], span)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + span - now + 1)
`;

// Everyone waits until the given time (never shortens an existing pause).
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1])) end
return untilMs
`;

export type RequestBudgetOptions = {
  limits?: BudgetLimits;
  /** Extra ms added to each window, for the delay between admission here and arrival at HubSpot. */
  guardMs?: number;
  keyPrefix?: string;
};

export class RequestBudget {
  readonly #redis: Redis;
  readonly #limits: BudgetLimits;
  readonly #guardMs: number;
  readonly #prefix: string;

  constructor(redis: Redis, options: RequestBudgetOptions = {}) {
    this.#redis = redis;
    this.#limits = options.limits ?? HUBSPOT_MARKETPLACE_LIMITS;
    this.#guardMs = options.guardMs ?? 50;
    this.#prefix = options.keyPrefix ?? 'cl:budget';
  }

  get limits(): BudgetLimits {
    return this.#limits;
  }

  /** Waits until the portal has a free slot of this class, then takes it. */
  async acquire(portalId: number, budgetClass: BudgetClass, signal?: AbortSignal): Promise<void> {
    const { max, windowMs } = this.#limits[budgetClass];
    const member = randomUUID();
    for (;;) {
      signal?.throwIfAborted();
      const wait = Number(
        await this.#redis.eval(
          ACQUIRE,
          2,
          this.#key(portalId, budgetClass),
          this.#pauseKey(portalId, budgetClass),
          max,
          windowMs + this.#guardMs,
          member,
        ),
      );
      if (wait === 0) return;
      // A little jitter so waiting processes don't all ask again in the same millisecond.
      await sleep(wait + Math.floor(Math.random() * 5), signal);
    }
  }

  /** After HubSpot said 429 (or signalled no room left), hold every caller of this portal and class for `ms`. */
  async pause(portalId: number, budgetClass: BudgetClass, ms: number): Promise<void> {
    await this.#redis.eval(PAUSE, 1, this.#pauseKey(portalId, budgetClass), Math.max(1, Math.ceil(ms)));
  }

  /** Forgets a portal's budget state (uninstall). */
  async reset(portalId: number): Promise<void> {
    const classes: BudgetClass[] = ['standard', 'search'];
    await this.#redis.del(...classes.flatMap((c) => [this.#key(portalId, c), this.#pauseKey(portalId, c)]));
  }

  #key(portalId: number, budgetClass: BudgetClass): string {
    return `${this.#prefix}:{${portalId}}:${budgetClass}`;
  }

  #pauseKey(portalId: number, budgetClass: BudgetClass): string {
    return `${this.#prefix}:{${portalId}}:${budgetClass}:paused`;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

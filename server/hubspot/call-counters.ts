import type { Redis } from 'ioredis';
import type { CallCounters, CallOutcome } from './portal-client.ts';

export type CallCounts = Record<CallOutcome, number>;

/**
 * Per-portal counts of HubSpot calls (every attempt) by outcome, shared by all processes in a Redis
 * hash. They feed the sync-error-rate KPI and the operations endpoints; losing them with Redis costs
 * only history, so they live there rather than in Postgres.
 */
export class RedisCallCounters implements CallCounters {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #onError: (error: unknown) => void;

  constructor(redis: Redis, prefix: string, onError: (error: unknown) => void = () => undefined) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#onError = onError;
  }

  record(portalId: number, outcome: CallOutcome): void {
    // Counting must never slow or fail a HubSpot call: fire and forget.
    this.#redis.hincrby(this.#key(portalId), outcome, 1).catch(this.#onError);
  }

  async read(portalId: number): Promise<CallCounts> {
    const raw = await this.#redis.hgetall(this.#key(portalId));
    return { ok: Number(raw.ok ?? 0), rate_limited: Number(raw.rate_limited ?? 0), error: Number(raw.error ?? 0) };
  }

  async reset(portalId: number): Promise<void> {
    await this.#redis.del(this.#key(portalId));
  }

  #key(portalId: number): string {
    return `${this.#prefix}:calls:{${portalId}}`;
  }
}

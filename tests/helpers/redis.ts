import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A unique key prefix per test file, so files running in parallel never share Redis state. */
export function uniquePrefix(label: string): string {
  return `test:${label}:${randomBytes(4).toString('hex')}`;
}

/** Opens Redis connections for the calling test file and closes them afterwards. */
export function useRedis(): { connect: () => Redis } {
  const opened: Redis[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((r) => r.quit().catch(() => r.disconnect())));
  });
  return {
    connect: () => {
      const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
      opened.push(redis);
      return redis;
    },
  };
}

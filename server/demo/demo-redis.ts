import { Redis } from 'ioredis';

/**
 * Forgets everything the previous demo run left in Redis under its prefix (queued and finished jobs,
 * schedulers, budgets): BullMQ dedupes by job id, so stale jobs would swallow this run's.
 */
export async function clearDemoRedis(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

import { Redis } from 'ioredis';

/**
 * The ioredis connection BullMQ runs on. `maxRetriesPerRequest: null` because BullMQ requires it: its
 * workers block on Redis and must wait through a reconnect rather than fail the command. BullMQ is
 * given this instance (not options) because it can only load ioredis itself under CommonJS.
 */
export function createRedisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

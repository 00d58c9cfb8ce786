import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * The producer side of every queue, one BullMQ `Queue` per name, created on first use over one shared
 * connection. Never a `Worker`: producing and consuming are separate processes (the server only
 * produces).
 */
export type QueueSet = {
  /** BullMQ's key prefix; tests give each their own so they can share one Redis. */
  readonly prefix: string;
  get(name: string): Queue<unknown>;
  /** Closes the queues; the connection belongs to the caller and stays open. */
  close(): Promise<void>;
};

/** BullMQ's key prefix for an app prefix: the server (producing) and the workers (consuming) must agree. */
export function bullPrefix(appPrefix: string): string {
  return `${appPrefix}:bull`;
}

export function createQueueSet(options: { connection: Redis; prefix?: string }): QueueSet {
  const prefix = options.prefix ?? 'bull';
  const queues = new Map<string, Queue<unknown>>();
  return {
    prefix,
    get(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue<unknown>(name, { connection: options.connection, prefix });
        queues.set(name, queue);
      }
      return queue;
    },
    async close() {
      const closing = [...queues.values()].map((queue) => queue.close());
      queues.clear();
      await Promise.all(closing);
    },
  };
}

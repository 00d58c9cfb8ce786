import type { Queryable } from '../db/pool.ts';
import type { Logger } from '../logging/logger.ts';
import type { QueueSet } from './queue-set.ts';

/** What producers need: Postgres for the durable record, the queues for delivery. */
export type QueueDeps = {
  readonly db: Queryable;
  readonly queues: QueueSet;
  readonly log?: Logger;
};

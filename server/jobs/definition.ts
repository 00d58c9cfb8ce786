import type { z } from 'zod';
import type { QueueName } from './queues.ts';

/** How long to wait before retrying a failed attempt: `delayMs`, doubled each time when exponential. */
export type Backoff = { readonly type: 'fixed' | 'exponential'; readonly delayMs: number };

export type JobDefaults = {
  /** Total tries, the first included; after the last one the job and its intent are `failed`. */
  readonly attempts: number;
  readonly backoff: Backoff;
};

/**
 * What a job is, independent of who runs it (documenso style): the server enqueues against a
 * definition, a worker registers a processor for it. Definitions hold no I/O so both sides can
 * import them.
 */
export type JobDefinition<Name extends string = string, Schema extends z.ZodType = z.ZodType> = {
  /** `area.action` in the app's vocabulary; also the BullMQ job name. */
  readonly name: Name;
  readonly queue: QueueName;
  /** Validated when enqueued and again when run (Redis holds plain JSON that anyone could write). */
  readonly payload: Schema;
  readonly defaultOptions: JobDefaults;
  /**
   * The job's id for a payload and a run key. The same id enqueued twice runs once, so callers that
   * pass a deterministic run key (an install id, a webhook batch id) can enqueue without fear of
   * duplicates. Without this, the id is `<name>/<runKey>`. Ids may not contain `:` (BullMQ's key
   * separator) and must not be a bare integer.
   *
   * Method syntax on purpose: it keeps a specific definition assignable to `JobDefinition`.
   */
  jobId?(payload: z.output<Schema>, runKey: string): string;
};

/** Any definition, for registries and code that routes by name. */
export type AnyJobDefinition = JobDefinition<string, z.ZodType>;

export type PayloadOf<D extends AnyJobDefinition> = z.output<D['payload']>;

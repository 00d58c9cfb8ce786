import type pg from 'pg';
import type { z } from 'zod';
import type { AnyJobDefinition, JobDefinition } from '../server/jobs/definition.ts';
import type { Logger } from '../server/logging/logger.ts';
import type { QueueSet } from '../server/queue/queue-set.ts';

/** What a processor gets besides its payload. */
export type ProcessorContext = {
  readonly db: pg.Pool;
  /** For enqueueing follow-up jobs (`enqueue({ db, queues }, …)`). */
  readonly queues: QueueSet;
  /** Carries the job's id and name on every line. */
  readonly log: Logger;
  readonly jobId: string;
  /** 1 on the first try. */
  readonly attempt: number;
  /** Aborted when the worker gives up waiting for the job at shutdown: stop, the job will run again. */
  readonly signal: AbortSignal | undefined;
};

/**
 * Does the work of one job. Delivery is at least once (a retry after a crash, a re-queue after Redis
 * lost the job), so a processor must be idempotent: write keyed by the payload, upsert, check state.
 */
export type Processor<Payload> = (payload: Payload, context: ProcessorContext) => Promise<void>;

export type BoundJob =
  | { readonly ok: true; run(context: ProcessorContext): Promise<void> }
  | { readonly ok: false; readonly error: z.ZodError };

/** A processor paired with its definition, with the payload's type erased so registries can hold any. */
export type ProcessorEntry = {
  readonly definition: AnyJobDefinition;
  /** Parses raw job data with the definition's schema; if it fits, returns the processor bound to it. */
  bind(data: unknown): BoundJob;
};

export function defineProcessor<Name extends string, Schema extends z.ZodType>(
  definition: JobDefinition<Name, Schema>,
  process: Processor<z.output<Schema>>,
): ProcessorEntry {
  return {
    definition,
    bind(data) {
      const parsed = definition.payload.safeParse(data);
      if (!parsed.success) return { ok: false, error: parsed.error };
      return { ok: true, run: (context) => process(parsed.data, context) };
    },
  };
}

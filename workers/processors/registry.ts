import type { ProcessorEntry } from '../processor.ts';

/**
 * The processors this worker process runs, one per job definition (`defineProcessor(definition, fn)`).
 * Jobs whose definition has no processor here wait in Redis until a worker that has one takes them.
 * Empty until the sync and webhook issues add theirs; tests register their own.
 */
export const PROCESSORS: readonly ProcessorEntry[] = [];

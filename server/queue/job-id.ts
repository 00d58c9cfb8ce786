import type { AnyJobDefinition } from '../jobs/definition.ts';

/**
 * The id of one run of a job: the definition's `jobId`, or `<name>/<runKey>`. The id is also the
 * intent's primary key, so a deterministic run key makes enqueueing idempotent.
 */
export function jobIdFor(definition: AnyJobDefinition, payload: unknown, runKey: string): string {
  const id = definition.jobId ? definition.jobId(payload, runKey) : `${definition.name}/${runKey}`;
  // BullMQ rejects these (or worse, reads them as its own legacy repeat ids); say so at the source.
  if (id.includes(':')) throw new Error(`job id "${id}" contains ":", which BullMQ reserves`);
  if (/^\d+$/.test(id)) throw new Error(`job id "${id}" is a bare integer, which BullMQ reserves`);
  if (id.length > 200) throw new Error(`job id "${id.slice(0, 40)}…" is longer than 200 characters`);
  return id;
}

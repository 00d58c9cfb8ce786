import type { AnyJobDefinition } from '../jobs/definition.ts';
import { indexDefinitions } from '../jobs/registry.ts';
import type { QueueDeps } from './deps.ts';
import { listPendingIntents, type JobIntent, type PendingCursor } from './job-intents.ts';
import { jobOptionsFor } from './job-options.ts';

// Bounded pages keep memory flat and each addBulk round trip small, however large the backlog.
const PAGE_SIZE = 500;

export type RequeueReport = { requeued: number; unknownJobs: number };

/**
 * Adds every pending intent to its queue under its own id. Jobs Redis still holds are left alone
 * (BullMQ ignores an id it has); jobs Redis lost are restored. Intents whose job no definition names
 * (a job type since removed from the code) are logged and left pending.
 */
export async function requeuePendingIntents(
  deps: QueueDeps & { readonly definitions: readonly AnyJobDefinition[] },
): Promise<RequeueReport> {
  const byName = indexDefinitions(deps.definitions);
  const report: RequeueReport = { requeued: 0, unknownJobs: 0 };
  let after: PendingCursor | undefined;
  do {
    const page = await listPendingIntents(deps.db, { after, limit: PAGE_SIZE });
    const byQueue = new Map<string, { definition: AnyJobDefinition; intent: JobIntent }[]>();
    for (const intent of page.intents) {
      const definition = byName.get(intent.name);
      if (!definition) {
        report.unknownJobs++;
        deps.log?.warn({ jobId: intent.id, job: intent.name }, 'pending intent names no known job; left pending');
        continue;
      }
      // The definition's queue, not the intent's: if a job moved queues, its workers are there now.
      const batch = byQueue.get(definition.queue) ?? [];
      batch.push({ definition, intent });
      byQueue.set(definition.queue, batch);
    }
    for (const [queue, batch] of byQueue) {
      await deps.queues.get(queue).addBulk(
        batch.map(({ definition, intent }) => ({
          name: definition.name,
          data: intent.payload,
          opts: { ...jobOptionsFor(definition), jobId: intent.id },
        })),
      );
      report.requeued += batch.length;
    }
    after = page.intents.length === PAGE_SIZE ? page.next : undefined;
  } while (after);
  return report;
}

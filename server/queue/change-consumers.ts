import { latestChangeId } from '../db/repositories/record-changes.ts';
import { attributionChanges } from '../jobs/attribution-changes.job.ts';
import { hygieneChanges } from '../jobs/hygiene-changes.job.ts';
import type { QueueDeps } from './deps.ts';
import { enqueue } from './enqueue.ts';

/**
 * Asks hygiene and attribution to catch up with a portal's change log, after something wrote to the
 * mirror (a sync page, a webhook batch, a card write, an ingest batch). Keyed by the newest change id:
 * calling it again before anything new was logged enqueues nothing new.
 */
export async function enqueueChangeConsumers(deps: QueueDeps, portalId: number): Promise<void> {
  const through = await latestChangeId(deps.db, portalId);
  if (through === 0) return;
  const runKey = `through-${through}`;
  await enqueue(deps, hygieneChanges, { portalId }, { runKey });
  await enqueue(deps, attributionChanges, { portalId }, { runKey });
}

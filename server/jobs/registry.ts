import type { AnyJobDefinition } from './definition.ts';
import { attributionChanges } from './attribution-changes.job.ts';
import { attributionCompute } from './attribution-compute.job.ts';
import { hygieneChanges } from './hygiene-changes.job.ts';
import { hygieneEvaluate } from './hygiene-evaluate.job.ts';
import { loopDigest } from './loop-digest.job.ts';
import { loopReview } from './loop-review.job.ts';
import { loopSnapshot } from './loop-snapshot.job.ts';
import { portalPurge } from './portal-purge.job.ts';
import { reportingRefresh } from './reporting-refresh.job.ts';
import { syncFull } from './sync-full.job.ts';
import { syncIncremental } from './sync-incremental.job.ts';
import { webhooksDrain } from './webhooks-drain.job.ts';
import { writebackRun } from './writeback-run.job.ts';

/** Every job the app knows. Reconcile uses it to re-queue intents and schedules by name. */
export const JOB_DEFINITIONS: readonly AnyJobDefinition[] = [
  syncFull,
  syncIncremental,
  webhooksDrain,
  hygieneEvaluate,
  hygieneChanges,
  attributionCompute,
  attributionChanges,
  writebackRun,
  reportingRefresh,
  loopDigest,
  loopSnapshot,
  loopReview,
  portalPurge,
];

/** Definitions by name; throws on a duplicate name, which would make routing ambiguous. */
export function indexDefinitions(definitions: readonly AnyJobDefinition[]): ReadonlyMap<string, AnyJobDefinition> {
  const byName = new Map<string, AnyJobDefinition>();
  for (const definition of definitions) {
    if (byName.has(definition.name)) throw new Error(`two job definitions are named "${definition.name}"`);
    byName.set(definition.name, definition);
  }
  return byName;
}

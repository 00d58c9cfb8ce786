import type { AppContext } from '../../server/context.ts';
import { applyWebhookChanges } from '../../server/sync/apply-webhook-changes.ts';
import type { ProcessorEntry } from '../processor.ts';
import { attributionChangesProcessor } from './attribution-changes.ts';
import { attributionComputeProcessor } from './attribution-compute.ts';
import { hygieneChangesProcessor } from './hygiene-changes.ts';
import { hygieneEvaluateProcessor } from './hygiene-evaluate.ts';
import { loopDigestProcessor } from './loop-digest.ts';
import { loopReviewProcessor } from './loop-review.ts';
import { loopSnapshotProcessor } from './loop-snapshot.ts';
import { portalPurgeProcessor } from './portal-purge.ts';
import { reportingRefreshProcessor } from './reporting-refresh.ts';
import { syncFullProcessor } from './sync-full.ts';
import { syncIncrementalProcessor } from './sync-incremental.ts';
import { webhooksDrainProcessor } from './webhooks-drain.ts';
import { writebackRunProcessor } from './writeback-run.ts';

/**
 * The processors this worker process runs, one per job definition (`defineProcessor(definition, fn)`),
 * built over the process's app context. Jobs whose definition has no processor here wait in Redis
 * until a worker that has one takes them. Tests register their own. `clock` pins "now" for the clock-
 * dependent rules (the demo runs at its fixture's `now`).
 */
export function createProcessors(app: AppContext, options: { clock?: () => Date } = {}): ProcessorEntry[] {
  const clock = options.clock ? { clock: options.clock } : {};
  return [
    portalPurgeProcessor({ graceMs: app.env.UNINSTALL_GRACE_HOURS * 3_600_000, uninstall: app.uninstall }),
    syncFullProcessor({ clientFor: app.clientFor, counters: app.counters }),
    syncIncrementalProcessor({ clientFor: app.clientFor, counters: app.counters }),
    hygieneEvaluateProcessor(clock),
    hygieneChangesProcessor(clock),
    webhooksDrainProcessor({
      apply: applyWebhookChanges({ clientFor: app.clientFor }),
      appId: app.env.HUBSPOT_APP_ID,
    }),
    attributionComputeProcessor(clock),
    attributionChangesProcessor(clock),
    reportingRefreshProcessor(clock),
    writebackRunProcessor({ clientFor: app.clientFor }),
    loopDigestProcessor({ clientFor: app.clientFor, ...clock }),
    loopSnapshotProcessor(clock),
    loopReviewProcessor(clock),
  ];
}

import type { PortalHubSpotClient } from '../../server/hubspot/portal-client.ts';
import { loopDigest } from '../../server/jobs/loop-digest.job.ts';
import { buildWeeklyDigest } from '../../server/loops/build-weekly-digest.ts';
import { deliverDigestTasks } from '../../server/loops/deliver-digest-tasks.ts';
import { defineProcessor, type ProcessorEntry } from '../processor.ts';

/**
 * The week's digest of one portal, then its tasks to the record owners. Both steps are keyed by the
 * ISO week of `clock()`, so a retry or a second run of the same week sends no task twice.
 */
export function loopDigestProcessor(deps: {
  clientFor: (portalId: number) => Pick<PortalHubSpotClient, 'call'>;
  clock?: () => Date;
}): ProcessorEntry {
  return defineProcessor(loopDigest, async ({ portalId }, context) => {
    const now = deps.clock?.() ?? new Date();
    const built = await buildWeeklyDigest(context.db, portalId, now);
    context.log.info(
      {
        portalId,
        week: built.week,
        created: built.created,
        openFindings: built.digest.openFindings,
        tasks: built.tasks,
      },
      built.created ? 'weekly digest built' : 'weekly digest already built',
    );
    const delivered = await deliverDigestTasks(
      { db: context.db, client: deps.clientFor(portalId), log: context.log },
      portalId,
      built.week,
      now,
    );
    context.log.info({ portalId, week: built.week, ...delivered }, 'digest tasks delivered');
  });
}

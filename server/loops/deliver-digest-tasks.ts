import type pg from 'pg';
import { z } from 'zod';
import {
  claimDigestTasks,
  countTasksInFlight,
  markDigestTaskCreated,
  markDigestTaskUnsent,
  type DigestTaskRow,
} from '../db/repositories/digests.ts';
import { toHubSpotError } from '../hubspot/errors.ts';
import type { PortalHubSpotClient } from '../hubspot/portal-client.ts';
import type { Logger } from '../logging/logger.ts';

/**
 * Sends the week's digest tasks to HubSpot, at most once each. Every task row is marked `sending` (with
 * the time) before its create goes out and `created` with HubSpot's id after, so a retry knows:
 * - `created`: done, never sent again;
 * - `sending` with no answer (a crash, a timeout, a 5xx: HubSpot may have created it): once the lease
 *   has passed, the task is looked up by owner and subject (unique per week) before it is sent again;
 * - refused by HubSpot (400, 403, 409): `failed`, with HubSpot's message; sending again cannot help;
 * - not processed (429 or 401 that the client could not get past): `pending`, sent by the next run.
 * One create per task rather than a batch: a refusal (an owner HubSpot no longer accepts) then costs
 * only that owner's task, and owners are few, so the calls are too.
 */

/**
 * How long a sent create counts as in flight. Longer than the client's 30 s timeout with its retries
 * of a 429; the job's backoff (60 s, doubling) lets a retry land after it.
 */
export const DELIVERY_LEASE_MS = 2 * 60_000;

export type DeliveryReport = {
  created: number;
  /** Sent by an earlier run whose answer was lost, and found in HubSpot. */
  found: number;
  failed: number;
  /** Not known to be created yet: the job must run again. */
  unresolved: number;
};

/** Thrown after the other tasks were handled, so the job is retried for the unresolved ones. */
export class DigestDeliveryIncomplete extends Error {
  constructor(portalId: number, week: string, unresolved: number) {
    super(`digest ${week} of portal ${portalId}: ${unresolved} task(s) not confirmed yet; will retry`);
    this.name = 'DigestDeliveryIncomplete';
  }
}

export type DeliveryDeps = {
  db: pg.Pool;
  client: Pick<PortalHubSpotClient, 'call'>;
  log?: Logger;
};

const Created = z.object({ id: z.string() });
const SearchAnswer = z.object({ total: z.number(), results: z.array(z.object({ id: z.string() })) });

export async function deliverDigestTasks(
  deps: DeliveryDeps,
  portalId: number,
  week: string,
  now: Date,
  options: { leaseMs?: number } = {},
): Promise<DeliveryReport> {
  const staleBefore = new Date(now.getTime() - (options.leaseMs ?? DELIVERY_LEASE_MS));
  // Another run's creates still in flight: leave them to it, and come back once their lease is over.
  const inFlight = await countTasksInFlight(deps.db, portalId, week, staleBefore);
  const report: DeliveryReport = { created: 0, found: 0, failed: 0, unresolved: inFlight };
  for (const task of await claimDigestTasks(deps.db, portalId, week, now, staleBefore)) {
    const log = deps.log?.child({ portalId, week, ownerId: task.ownerId });
    if (task.previousStatus === 'sending') {
      const found = await findSentTask(deps.client, task);
      if (found !== undefined) {
        await markDigestTaskCreated(deps.db, portalId, week, task.ownerId, found, now);
        report.found++;
        continue;
      }
    }
    try {
      const answer = await deps.client.call(
        (sdk) => sdk.crm.objects.tasks.basicApi.create(task.request as never),
        // A create sent twice makes two tasks: never retried blindly; the lookup above decides.
        { idempotent: false },
      );
      await markDigestTaskCreated(deps.db, portalId, week, task.ownerId, Created.parse(answer).id, now);
      report.created++;
    } catch (thrown) {
      const error = toHubSpotError(thrown);
      if (error.kind === 'transient') {
        log?.warn({ err: error }, 'digest task sent without an answer; it is looked up before any resend');
        report.unresolved++;
      } else if (error.kind === 'rate_limited' || error.kind === 'unauthorized') {
        await markDigestTaskUnsent(deps.db, portalId, week, task.ownerId, 'pending', error.message);
        report.unresolved++;
      } else {
        log?.error({ err: error }, 'HubSpot refused the digest task');
        await markDigestTaskUnsent(deps.db, portalId, week, task.ownerId, 'failed', error.message);
        report.failed++;
      }
    }
  }
  if (report.unresolved > 0) throw new DigestDeliveryIncomplete(portalId, week, report.unresolved);
  return report;
}

/** The task an earlier run sent for this owner and week, if HubSpot has it. */
async function findSentTask(client: DeliveryDeps['client'], task: DigestTaskRow): Promise<string | undefined> {
  const request = {
    filterGroups: [
      {
        filters: [
          { propertyName: 'hubspot_owner_id', operator: 'EQ', value: task.ownerId },
          { propertyName: 'hs_task_subject', operator: 'EQ', value: task.subject },
        ],
      },
    ],
    properties: ['hs_task_subject', 'hubspot_owner_id'],
    limit: 1,
  };
  // The SDK types `operator` as an enum of these same strings; the request is the same JSON.
  const answer = SearchAnswer.parse(
    await client.call((sdk) => sdk.crm.objects.tasks.searchApi.doSearch(request as never), { idempotent: true }),
  );
  return answer.results[0]?.id;
}

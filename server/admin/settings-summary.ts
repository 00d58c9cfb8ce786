import type { Queryable } from '../db/pool.ts';
import { latestDefinitions } from '../db/repositories/definitions.ts';
import { listDigests, listDigestTasks } from '../db/repositories/digests.ts';
import { openFindingFacets } from '../db/repositories/findings.ts';
import { listKpiSnapshots } from '../db/repositories/kpi-snapshots.ts';
import { hygieneRuns, latestReviewReminder } from '../db/repositories/loop-last-runs.ts';
import { latestSucceededSyncRuns, latestSyncRun, type SyncRun } from '../db/repositories/sync-runs.ts';
import { validateDefinitions } from '../domain/policy/index.ts';
import { loopBriefs } from './loop-briefs.ts';
import { policyBrief } from './policy-brief.ts';
import type { SettingsSummary, SyncRunBrief } from './settings-summary-contract.ts';

/**
 * Everything the settings component shows an admin of `portalId` (the caller has admitted them), read
 * from the records each part keeps: sync runs, the loops' records, the issue log and the current
 * definitions version. Every read names the portal.
 */
export async function loadSettingsSummary(db: Queryable, portalId: number, now: Date): Promise<SettingsSummary> {
  const [lastFull, lastIncremental, succeeded] = await Promise.all([
    latestSyncRun(db, portalId, 'full'),
    latestSyncRun(db, portalId, 'incremental'),
    latestSucceededSyncRuns(db, portalId),
  ]);
  const succeededAt = (kind: SyncRun['kind']) =>
    succeeded.find((run) => run.kind === kind)?.finishedAt?.toISOString() ?? null;
  const incremental = lastIncremental && runBrief(lastIncremental, 'incremental');

  const [digest] = await listDigests(db, portalId, { limit: 1 });
  const snapshot = (await listKpiSnapshots(db, portalId)).at(-1);
  const facets = await openFindingFacets(db, portalId);

  return {
    generatedAt: now.toISOString(),
    sync: {
      running: lastFull?.status === 'running' || lastIncremental?.status === 'running',
      lastFull: lastFull ? runBrief(lastFull, 'full') : null,
      lastIncremental: incremental ?? null,
      lastSucceededAt: { full: succeededAt('full'), incremental: succeededAt('incremental') },
    },
    loops: loopBriefs({
      lastIncremental: incremental,
      hygiene: await hygieneRuns(db, portalId),
      digest: digest && { ...digest, tasks: await listDigestTasks(db, portalId, digest.week) },
      snapshot,
      review: await latestReviewReminder(db, portalId),
    }),
    // Every open finding has exactly one owner value (null included), so the owners' counts add up to all.
    openFindings: facets.owners.reduce((sum, owner) => sum + owner.n, 0),
    policy: await currentPolicy(db, portalId),
  };
}

function runBrief(run: SyncRun, kind: SyncRunBrief['kind']): SyncRunBrief {
  return {
    kind,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    records: run.records,
    errors: run.errors,
    errorMessage: run.errorMessage,
  };
}

/**
 * The current version with its author and date: the same row and the same validation as
 * `currentDefinitions`, read here in one piece so the stamp and the document are of one version.
 */
async function currentPolicy(db: Queryable, portalId: number): Promise<SettingsSummary['policy']> {
  const latest = await latestDefinitions(db, portalId);
  if (!latest) throw new Error(`portal ${portalId} has no definitions`);
  const parsed = validateDefinitions(latest.document);
  if (!parsed.ok) throw new Error(`portal ${portalId}'s definitions v${latest.version} do not validate`);
  return policyBrief(latest, parsed.definitions);
}

import { z } from 'zod';
import { readCheckpoint, writeCheckpoint } from '../db/repositories/sync-checkpoints.ts';
import { knownOwnerIds } from '../db/repositories/mirror-owners.ts';
import { knownPipelineStages } from '../db/repositories/mirror-pipelines.ts';
import type { HubSpotRecord } from './hubspot-record.ts';
import type { MirrorType } from './mirror-types.ts';
import { refreshOwners } from './owners.ts';
import { refreshPipelines } from './pipelines.ts';
import type { SyncRunContext } from './sync-run-context.ts';

/**
 * Owners and pipelines have no "changed since" query: reading them is a whole listing (one owners page
 * per 500 active and per 500 deactivated owners, one call per pipeline type), whatever changed. The
 * incremental sync reads them again only when a changed record names an owner, pipeline or stage the
 * mirror doesn't know (a new user, a new stage: seen at once), or when the last read is older than this
 * (a renamed stage, an owner's new email, a user deactivated: seen within the hour). Deactivated owners
 * are known too, so records still owned by one don't make every run read the owners again.
 */
export const REFERENCE_REFRESH_MS = 60 * 60_000;

const PIPELINE_PROPERTIES: Partial<Record<MirrorType, { pipeline: string; stage: string }>> = {
  deals: { pipeline: 'pipeline', stage: 'dealstage' },
  tickets: { pipeline: 'hs_pipeline', stage: 'hs_pipeline_stage' },
};

/** What the mirror knows of owners and pipeline stages, and whether a changed record named something else. */
export class ReferenceCheck {
  ownersStale = false;
  pipelinesStale = false;
  private readonly owners: Set<string>;
  private readonly stages: Set<string>;

  private constructor(owners: Set<string>, stages: Set<string>) {
    this.owners = owners;
    this.stages = stages;
  }

  static async load(run: SyncRunContext): Promise<ReferenceCheck> {
    const [owners, stages] = await Promise.all([
      knownOwnerIds(run.db, run.portalId),
      knownPipelineStages(run.db, run.portalId),
    ]);
    return new ReferenceCheck(owners, stages);
  }

  /** Notes the owners and stages changed records name. */
  see(type: MirrorType, records: readonly HubSpotRecord[]): void {
    const pipelineOf = PIPELINE_PROPERTIES[type];
    for (const { properties } of records) {
      const owner = properties.hubspot_owner_id;
      if (owner && !this.owners.has(owner)) this.ownersStale = true;
      if (!pipelineOf) continue;
      const pipeline = properties[pipelineOf.pipeline];
      const stage = properties[pipelineOf.stage];
      if (pipeline && stage && !this.stages.has(`${type}:${pipeline}:${stage}`)) this.pipelinesStale = true;
    }
  }
}

const Refreshed = z.object({ refreshedAtMs: z.number().int().nonnegative() });

/**
 * Reads owners and pipelines again when `check` saw something unknown or the last read is older than
 * `everyMs` (the full sync's start counts as a read). `nowMs` is the run's start.
 */
export async function refreshReferenceData(
  run: SyncRunContext,
  check: ReferenceCheck,
  options: { baselineMs: number; nowMs: number; everyMs: number },
): Promise<void> {
  const due = async (stream: string) => {
    const stored = Refreshed.safeParse(await readCheckpoint(run.db, run.portalId, stream));
    const lastMs = Math.max(stored.success ? stored.data.refreshedAtMs : 0, options.baselineMs);
    return options.nowMs - lastMs >= options.everyMs;
  };
  const done = (stream: string) => writeCheckpoint(run.db, run.portalId, stream, { refreshedAtMs: options.nowMs });
  if (check.ownersStale || (await due('incremental:owners'))) {
    await refreshOwners(run);
    await done('incremental:owners');
  }
  if (check.pipelinesStale || (await due('incremental:pipelines'))) {
    await refreshPipelines(run);
    await done('incremental:pipelines');
  }
}

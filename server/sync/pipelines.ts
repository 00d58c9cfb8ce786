import { z } from 'zod';
import { withTransaction } from '../db/pool.ts';
import { replacePipelines, type PipelineRow } from '../db/repositories/mirror-pipelines.ts';
import { cursorFor, saveCursor } from './checkpoint.ts';
import type { HubSpotCaller } from './hubspot-caller.ts';
import { throwIfStopped, type SyncRunContext } from './sync-run-context.ts';

export const PIPELINE_TYPES = ['deals', 'tickets'] as const;
type PipelineType = (typeof PIPELINE_TYPES)[number];

const Stage = z.object({
  id: z.string(),
  label: z.string(),
  displayOrder: z.number(),
  metadata: z.record(z.string(), z.string()).nullish(),
  archived: z.boolean().nullish(),
});

const Pipelines = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      displayOrder: z.number(),
      stages: z.array(Stage),
    }),
  ),
});

/** A type's pipelines with their stages: one call, no paging. */
async function readPipelines(client: HubSpotCaller, objectType: PipelineType): Promise<PipelineRow[]> {
  const answer = Pipelines.parse(
    await client.call((sdk) => sdk.crm.pipelines.pipelinesApi.getAll(objectType), { idempotent: true }),
  );
  return answer.results.map((p) => ({
    objectType,
    id: p.id,
    label: p.label,
    displayOrder: p.displayOrder,
    stages: p.stages.map((s) => ({
      id: s.id,
      label: s.label,
      displayOrder: s.displayOrder,
      metadata: s.metadata ?? {},
      archived: s.archived ?? false,
    })),
  }));
}

/**
 * Mirrors deal and ticket pipelines with their stages (one call per object type). The answer is the
 * whole set: a pipeline HubSpot no longer returns (deleted) leaves the mirror.
 */
export async function syncPipelines(run: SyncRunContext): Promise<void> {
  for (const objectType of PIPELINE_TYPES) {
    const stream = `full:pipelines:${objectType}`;
    const cursor = await cursorFor(run.db, run.portalId, stream, run.runId);
    if (cursor.done) continue;
    throwIfStopped(run);
    const rows = await readPipelines(run.client, objectType);
    await withTransaction(run.db, async (tx) => {
      await replacePipelines(tx, run.portalId, objectType, rows);
      await saveCursor(tx, run.portalId, stream, { runId: run.runId, after: null, done: true });
    });
  }
}

/** Reads the pipelines again (the incremental sync's refresh). */
export async function refreshPipelines(run: SyncRunContext): Promise<void> {
  for (const objectType of PIPELINE_TYPES) {
    throwIfStopped(run);
    const rows = await readPipelines(run.client, objectType);
    await withTransaction(run.db, (tx) => replacePipelines(tx, run.portalId, objectType, rows));
  }
}

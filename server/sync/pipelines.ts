import { z } from 'zod';
import { withTransaction } from '../db/pool.ts';
import { upsertPipelines, type PipelineRow } from '../db/repositories/mirror-pipelines.ts';
import { cursorFor, saveCursor } from './checkpoint.ts';
import { throwIfStopped, type SyncRunContext } from './sync-run-context.ts';

const PIPELINE_TYPES = ['deals', 'tickets'] as const;

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

/** Mirrors deal and ticket pipelines with their stages (one call per object type, no paging). */
export async function syncPipelines(run: SyncRunContext): Promise<void> {
  for (const objectType of PIPELINE_TYPES) {
    const stream = `full:pipelines:${objectType}`;
    const cursor = await cursorFor(run.db, run.portalId, stream, run.runId);
    if (cursor.done) continue;
    throwIfStopped(run);
    const answer = Pipelines.parse(
      await run.client.call((sdk) => sdk.crm.pipelines.pipelinesApi.getAll(objectType), { idempotent: true }),
    );
    const rows: PipelineRow[] = answer.results.map((p) => ({
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
    await withTransaction(run.db, async (tx) => {
      await upsertPipelines(tx, run.portalId, rows);
      await saveCursor(tx, run.portalId, stream, { runId: run.runId, after: null, done: true });
    });
  }
}

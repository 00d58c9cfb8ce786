import type { Queryable } from '../pool.ts';

export type PipelineRow = {
  objectType: 'deals' | 'tickets';
  id: string;
  label: string;
  displayOrder: number;
  /** HubSpot's stages as sent (id, label, displayOrder, metadata…). */
  stages: unknown[];
};

export async function upsertPipelines(
  db: Queryable,
  portalId: number,
  pipelines: readonly PipelineRow[],
): Promise<void> {
  if (pipelines.length === 0) return;
  await db.query(
    `INSERT INTO pipelines (portal_id, object_type, id, label, display_order, stages)
     SELECT $1, p."objectType", p.id, p.label, p."displayOrder", p.stages
       FROM jsonb_to_recordset($2::jsonb) AS p("objectType" text, id text, label text, "displayOrder" int, stages jsonb)
     ON CONFLICT (portal_id, object_type, id) DO UPDATE
       SET label = EXCLUDED.label, display_order = EXCLUDED.display_order, stages = EXCLUDED.stages`,
    [portalId, JSON.stringify(pipelines)],
  );
}

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

/**
 * Makes a type's pipelines exactly `pipelines` (call in a transaction): each upserted, and the ones not
 * among them (deleted in HubSpot) removed.
 */
export async function replacePipelines(
  db: Queryable,
  portalId: number,
  objectType: PipelineRow['objectType'],
  pipelines: readonly PipelineRow[],
): Promise<void> {
  await db.query(`DELETE FROM pipelines WHERE portal_id = $1 AND object_type = $2 AND NOT (id = ANY($3::text[]))`, [
    portalId,
    objectType,
    pipelines.map((p) => p.id),
  ]);
  await upsertPipelines(db, portalId, pipelines);
}

/** Every `<type>:<pipeline>:<stage>` the mirror knows, to tell when a record names a stage it doesn't. */
export async function knownPipelineStages(db: Queryable, portalId: number): Promise<Set<string>> {
  const { rows } = await db.query<{ key: string }>(
    `SELECT p.object_type || ':' || p.id || ':' || (s ->> 'id') AS key
       FROM pipelines p, jsonb_array_elements(p.stages) AS s
      WHERE p.portal_id = $1`,
    [portalId],
  );
  return new Set(rows.map((r) => r.key));
}

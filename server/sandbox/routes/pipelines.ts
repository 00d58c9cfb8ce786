import { Router } from 'express';
import { objectScopes, requireScopes } from '../auth.ts';
import type { SandboxContext } from '../context.ts';
import type { FixturePipeline, FixtureStage } from '../fixture.ts';
import { notFound } from '../errors.ts';
import { objectType } from './params.ts';

/**
 * Pipelines v3 for deals and tickets, read-only, from the fixture. Times the fixture leaves out are
 * 1970-01-01, as HubSpot shows for its default pipelines.
 */
const time = (value: string | undefined) => value ?? '1970-01-01T00:00:00.000Z';
const byOrder = <T extends { displayOrder: number; id: string }>(a: T, b: T) =>
  a.displayOrder - b.displayOrder || a.id.localeCompare(b.id);

const publicStage = (s: FixtureStage) => ({
  label: s.label,
  displayOrder: s.displayOrder,
  metadata: s.metadata ?? {},
  id: s.id,
  createdAt: time(s.createdAt),
  updatedAt: time(s.updatedAt),
  archived: s.archived ?? false,
  writePermissions: s.writePermissions ?? 'CRM_PERMISSIONS_ENFORCEMENT',
});

const publicPipeline = (p: FixturePipeline) => ({
  label: p.label,
  displayOrder: p.displayOrder,
  id: p.id,
  stages: [...p.stages].sort(byOrder).map(publicStage),
  createdAt: time(p.createdAt),
  updatedAt: time(p.updatedAt),
  archived: p.archived ?? false,
});

export function pipelineRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const pipelinesOf = (raw: string) => {
    const type = objectType(raw);
    const list = type === 'deals' ? ctx.store.pipelines.deals : type === 'tickets' ? ctx.store.pipelines.tickets : [];
    return { type, list };
  };
  const one = (raw: string, pipelineId: string) => {
    const { type, list } = pipelinesOf(raw);
    const pipeline = list.find((p) => p.id === pipelineId);
    if (!pipeline) throw notFound(`Unable to find pipeline ${pipelineId}`);
    return { type, pipeline };
  };
  const scopes = (type: ReturnType<typeof objectType>) => [...objectScopes(type, 'read'), `crm.schemas.${type}.read`];

  router.get('/crm/v3/pipelines/:type', (req, res) => {
    const { type, list } = pipelinesOf(req.params.type);
    requireScopes(ctx, res, scopes(type));
    res.json({ results: [...list].sort(byOrder).map(publicPipeline) });
  });
  router.get('/crm/v3/pipelines/:type/:pipelineId', (req, res) => {
    const { type, pipeline } = one(req.params.type, req.params.pipelineId);
    requireScopes(ctx, res, scopes(type));
    res.json(publicPipeline(pipeline));
  });
  router.get('/crm/v3/pipelines/:type/:pipelineId/stages', (req, res) => {
    const { type, pipeline } = one(req.params.type, req.params.pipelineId);
    requireScopes(ctx, res, scopes(type));
    res.json({ results: [...pipeline.stages].sort(byOrder).map(publicStage) });
  });
  router.get('/crm/v3/pipelines/:type/:pipelineId/stages/:stageId', (req, res) => {
    const { type, pipeline } = one(req.params.type, req.params.pipelineId);
    requireScopes(ctx, res, scopes(type));
    const stage = pipeline.stages.find((s) => s.id === req.params.stageId);
    if (!stage) throw notFound(`Unable to find stage ${req.params.stageId}`);
    res.json(publicStage(stage));
  });
  return router;
}

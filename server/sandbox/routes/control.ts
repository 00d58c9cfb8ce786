import { Router, type RequestHandler } from 'express';
import type { SandboxContext } from '../context.ts';
import { z } from 'zod';
import type { ChangeSource, CrmObjectType, SandboxChange } from '../contracts.ts';
import { errorBody, HubSpotError, notFound, validationError } from '../errors.ts';
import { exportFixtureJson } from '../export.ts';
import { FixtureEventSchema, FixtureOwnerSchema, FixturePipelineSchema } from '../fixture.ts';
import type { WriteFilter, WriteKind } from '../writes.ts';
import { intParam, objectBody, objectType, stringParam } from './params.ts';
import { mergeRecords } from './objects.ts';
import { checkProperties, invalidProperties } from './writes-validation.ts';

/**
 * The sandbox's own control API under /__sandbox/ (not HubSpot's): for tests in other processes and the
 * demo. State export, the write log, recent changes, the clock, token controls, simulated users' edits,
 * bulk edits, merges, deletions and restores, new events, owners and pipelines, and whatever extra controls the limits/faults/webhooks modules mount (`extra`).
 */
export type ControlOptions = {
  changes: () => SandboxChange[];
  extra?: Record<string, RequestHandler | Router>;
};

/** A control body checked against the fixture's schema: 400 naming each bad field otherwise. */
function parsed<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${[what, ...i.path].join('.')}: ${i.message}`);
  throw validationError(`Invalid ${what}: ${problems.join('; ')}`);
}

export function controlRoutes(ctx: SandboxContext, options: ControlOptions): Router {
  const router = Router();
  const { store, tokens, writes } = ctx;

  router.get('/', (_req, res) => {
    res.json({
      portalId: store.portalId,
      now: new Date(store.clock.now()).toISOString(),
      objects: Object.fromEntries(Object.entries(store.tables).map(([type, t]) => [type, t.size])),
      writes: writes.size,
      tokens: tokens.stats(),
      controls: ['state', 'writes', 'changes', 'clock', 'tokens', ...Object.keys(options.extra ?? {})],
    });
  });

  router.get('/state', (_req, res) => {
    res.type('application/json').send(exportFixtureJson(store));
  });

  router.get('/writes', (req, res) => {
    const filter: WriteFilter = {};
    const kind = stringParam(req.query.kind);
    if (kind !== undefined) filter.kind = kind as WriteKind;
    const method = stringParam(req.query.method);
    if (method !== undefined) filter.method = method;
    const prefix = stringParam(req.query.pathPrefix);
    if (prefix !== undefined) filter.pathPrefix = prefix;
    if (req.query.since !== undefined)
      filter.since = intParam(req.query.since, 'since', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    res.json({ writes: writes.list(filter) });
  });
  router.delete('/writes', (_req, res) => {
    writes.clear();
    res.status(204).end();
  });

  router.get('/changes', (_req, res) => {
    res.json({ changes: options.changes() });
  });

  const clockState = () => ({
    now: new Date(store.clock.now()).toISOString(),
    nowMs: store.clock.now(),
    frozen: store.clock.frozen,
  });
  router.get('/clock', (_req, res) => res.json(clockState()));
  router.post('/clock', (req, res) => {
    const body = objectBody(req.body ?? {});
    if (body.freeze === true) store.clock.freeze();
    if (body.freeze === false) store.clock.unfreeze();
    if (body.set !== undefined) {
      const ms = typeof body.set === 'number' ? body.set : Date.parse(String(body.set));
      if (Number.isNaN(ms)) throw validationError('set must be epoch milliseconds or an ISO date-time');
      store.clock.set(ms);
    }
    if (body.advanceMs !== undefined) {
      if (typeof body.advanceMs !== 'number') throw validationError('advanceMs must be a number');
      store.clock.advance(body.advanceMs);
    }
    res.json(clockState());
  });

  router.get('/tokens', (_req, res) => res.json(tokens.stats()));
  router.post('/tokens/expire', (req, res) => {
    const token = stringParam((req.body as Record<string, unknown> | undefined)?.token);
    res.json({ expired: tokens.expireAccessTokens(token) });
  });
  router.post('/tokens/revoke', (req, res) => {
    const token = stringParam((req.body as Record<string, unknown> | undefined)?.refreshToken);
    res.json({ revoked: tokens.revokeRefreshTokens(token) });
  });
  router.post('/tokens/issue', (req, res) => {
    const body = objectBody(req.body ?? {});
    const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : [];
    const clientId = typeof body.clientId === 'string' ? body.clientId : undefined;
    const token = tokens.issueAccessToken({ scopes, ...(clientId ? { clientId } : {}) });
    res.json({
      access_token: token.token,
      expires_in: Math.floor((token.expiresAt - store.clock.now()) / 1000),
      scopes: token.scopes,
    });
  });

  // Who a simulated change is attributed to: a user in HubSpot's UI unless the body names a source.
  const userSource = (body: Record<string, unknown>): ChangeSource => {
    const changeSource = typeof body.changeSource === 'string' ? body.changeSource : 'CRM_UI';
    const sourceId =
      typeof body.sourceId === 'string'
        ? body.sourceId
        : changeSource === 'CRM_UI'
          ? `userId:${store.owners[0]?.userId ?? store.owners[0]?.id ?? 1}`
          : undefined;
    return { changeSource, ...(sourceId === undefined ? {} : { sourceId }) };
  };

  // Many edits at once (an import, a bulk edit, a workflow), each validated like an API write; with the
  // clock frozen they share one last-modified instant, as a pipeline edit's do.
  router.post('/objects/:type/batch', (req, res) => {
    const type: CrmObjectType = objectType(req.params.type);
    const body = objectBody(req.body);
    if (!Array.isArray(body.inputs)) throw validationError('inputs must be an array of {id, properties}');
    const planned = body.inputs.map((raw: unknown, index: number) => {
      const input = (raw ?? {}) as { id?: unknown; properties?: unknown };
      const id = typeof input.id === 'string' || typeof input.id === 'number' ? String(input.id) : undefined;
      const object = id === undefined ? undefined : store.get(type, id);
      if (!object) throw notFound(`inputs[${index}]: no ${type} with id ${String(input.id)}`);
      const checked = checkProperties(store, type, input.properties, object.properties);
      if (!checked.ok) throw invalidProperties(checked.problems);
      return { object, values: checked.values };
    });
    const source = userSource(body);
    let changed = 0;
    for (const { object, values } of planned) if (store.update(type, object.id, values, source).length > 0) changed++;
    res.json({ inputs: planned.length, changed });
  });

  // A user's merge in HubSpot's UI: a new record takes both ids (as the API's merge).
  router.post('/objects/:type/merge', (req, res) => {
    const type: CrmObjectType = objectType(req.params.type);
    const body = objectBody(req.body);
    const result = mergeRecords(ctx, type, body, userSource(body));
    res.json({ id: result.id, mergedObjectIds: result.properties.get('hs_merged_object_ids')?.split(';') ?? [] });
  });

  // A change made in HubSpot's UI (or by a workflow): validated like an API write, attributed to `changeSource`.
  router.post('/objects/:type/:id', (req, res) => {
    const type: CrmObjectType = objectType(req.params.type);
    const object = store.get(type, req.params.id);
    if (!object) throw notFound();
    const body = objectBody(req.body);
    const checked = checkProperties(store, type, body.properties, object.properties);
    if (!checked.ok) throw invalidProperties(checked.problems);
    const changed = store.update(type, object.id, checked.values, userSource(body));
    res.json({ id: object.id, changed });
  });

  // A user's deletion in HubSpot's UI: the record goes to the recycle bin.
  router.delete('/objects/:type/:id', (req, res) => {
    const type: CrmObjectType = objectType(req.params.type);
    const object = store.get(type, req.params.id);
    if (!object || object.archived) throw notFound();
    store.archive(type, object.id, userSource({}));
    res.status(204).end();
  });

  // A user's restore from the recycle bin in HubSpot's UI (HubSpot's API has none): the record comes
  // back under its id with its history and associations.
  router.post('/objects/:type/:id/restore', (req, res) => {
    const type: CrmObjectType = objectType(req.params.type);
    const outcome = store.restore(type, req.params.id, userSource(objectBody(req.body ?? {})));
    if (outcome === 'not-archived') throw notFound(`no ${type} with id ${req.params.id} in the recycle bin`);
    if (outcome === 'email-taken')
      throw new HubSpotError(409, errorBody('CONFLICT', 'Another live contact has this email: it cannot be restored'));
    res.json({ id: req.params.id, restored: true });
  });

  // Events happening (page views, form submissions…), listed by the events API from then on.
  router.post('/events', (req, res) => {
    const events = parsed(z.array(FixtureEventSchema), objectBody(req.body).events, 'events');
    store.addEvents(events);
    res.json({ added: events.length });
  });

  // A user added or changed in the portal's settings (owners are users; HubSpot's API can't write them).
  router.put('/owners/:id', (req, res) => {
    const owner = parsed(FixtureOwnerSchema, { ...objectBody(req.body), id: req.params.id }, 'owner');
    store.putOwner(owner);
    res.json(owner);
  });

  // An admin's edit of a pipeline (stages added, renamed, reordered), or a new pipeline.
  router.put('/pipelines/:type/:pipelineId', (req, res) => {
    const type = objectType(req.params.type);
    if (type !== 'deals' && type !== 'tickets') throw validationError('pipelines exist for deals and tickets only');
    const pipeline = parsed(FixturePipelineSchema, { ...objectBody(req.body), id: req.params.pipelineId }, 'pipeline');
    store.putPipeline(type, pipeline);
    res.json(pipeline);
  });

  for (const [path, handler] of Object.entries(options.extra ?? {})) router.use(`/${path}`, handler);
  return router;
}

import { Router, type RequestHandler } from 'express';
import type { SandboxContext } from '../context.ts';
import type { CrmObjectType, SandboxChange } from '../contracts.ts';
import { notFound, validationError } from '../errors.ts';
import { exportFixtureJson } from '../export.ts';
import type { WriteFilter, WriteKind } from '../writes.ts';
import { intParam, objectBody, objectType, stringParam } from './params.ts';
import { checkProperties, invalidProperties } from './writes-validation.ts';

/**
 * The sandbox's own control API under /__sandbox/ (not HubSpot's): for tests in other processes and the
 * demo. State export, the write log, recent changes, the clock, token controls, a simulated user edit,
 * and whatever extra controls the limits/faults/webhooks modules mount (`extra`).
 */
export type ControlOptions = {
  changes: () => SandboxChange[];
  extra?: Record<string, RequestHandler | Router>;
};

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

  // A change made in HubSpot's UI (or by a workflow): validated like an API write, attributed to `changeSource`.
  router.post('/objects/:type/:id', (req, res) => {
    const type: CrmObjectType = objectType(req.params.type);
    const object = store.get(type, req.params.id);
    if (!object) throw notFound();
    const body = objectBody(req.body);
    const checked = checkProperties(store, type, body.properties, object.properties);
    if (!checked.ok) throw invalidProperties(checked.problems);
    const changeSource = typeof body.changeSource === 'string' ? body.changeSource : 'CRM_UI';
    const sourceId =
      typeof body.sourceId === 'string'
        ? body.sourceId
        : changeSource === 'CRM_UI'
          ? `userId:${store.owners[0]?.userId ?? store.owners[0]?.id ?? 1}`
          : undefined;
    const changed = store.update(type, object.id, checked.values, {
      changeSource,
      ...(sourceId === undefined ? {} : { sourceId }),
    });
    res.json({ id: object.id, changed });
  });

  for (const [path, handler] of Object.entries(options.extra ?? {})) router.use(`/${path}`, handler);
  return router;
}

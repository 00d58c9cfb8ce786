import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { authenticate } from './auth.ts';
import type { SandboxContext } from './context.ts';
import { HubSpotError, errorBody } from './errors.ts';
import { oauthRoutes } from './oauth/routes.ts';
import { associationRoutes } from './routes/associations.ts';
import { controlRoutes, type ControlOptions } from './routes/control.ts';
import { eventRoutes } from './routes/events.ts';
import { objectRoutes } from './routes/objects.ts';
import { ownerRoutes } from './routes/owners.ts';
import { pipelineRoutes } from './routes/pipelines.ts';
import { propertyRoutes } from './routes/properties.ts';
import { searchRoutes } from './routes/search.ts';
import { taskRoutes } from './tasks/routes.ts';
import { kindOf, loggedBody } from './writes.ts';

/**
 * The sandbox as an express app. Every HubSpot API route sits behind, in this order:
 *   authenticate (bearer token, 401s) → budget (429s, rate-limit headers) → faults (5xx, timeouts,
 *   malformed bodies) → the routes.
 * `budget` and `faults` are the insertion points for the limits and faults modules; OAuth and the
 * /__sandbox control API sit outside that chain. Non-GET calls and token grants go to the write log.
 */
export type SandboxMiddlewares = {
  /** The request budget (server/sandbox/limits). Runs after authentication. */
  budget?: RequestHandler;
  /** The fault switches (server/sandbox/faults). Runs after the budget. */
  faults?: RequestHandler;
};

export function createSandboxApp(
  ctx: SandboxContext,
  control: ControlOptions,
  middlewares: SandboxMiddlewares = {},
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(
    express.json({
      limit: '50mb',
      type: ['application/json', 'application/*+json'],
      // Search bodies are limited by their length in characters, so keep the raw text for them.
      verify: (req, _res, buf) => {
        if (req.url?.endsWith('/search')) (req as Request & { rawBody?: string }).rawBody = buf.toString('utf8');
      },
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(recordWrites(ctx));

  app.use('/__sandbox', controlRoutes(ctx, control));
  // Faults may hit OAuth too (a rule whose path matches it); the budget never counts OAuth.
  const faults = middlewares.faults;
  if (faults) app.use((req, res, next) => (req.path.startsWith('/oauth/') ? faults(req, res, next) : next()));
  app.use(oauthRoutes(ctx));

  const api = Router();
  api.use(authenticate(ctx));
  if (middlewares.budget) api.use(middlewares.budget);
  if (middlewares.faults) api.use(middlewares.faults);
  // Before the objects' routes, whose `:type` would take `tasks` and refuse it.
  api.use(taskRoutes(ctx));
  api.use(objectRoutes(ctx));
  api.use(searchRoutes(ctx));
  api.use(associationRoutes(ctx));
  api.use(pipelineRoutes(ctx));
  api.use(propertyRoutes(ctx));
  api.use(ownerRoutes(ctx));
  api.use(eventRoutes(ctx));
  api.use((req) => {
    throw new HubSpotError(404, errorBody('OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path}`));
  });
  app.use(api);
  app.use(errorHandler);
  return app;
}

/** Logs every non-GET call (and token grant) once its answer is sent. */
function recordWrites(ctx: SandboxContext): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || req.path.startsWith('/__sandbox'))
      return next();
    const at = new Date(ctx.store.clock.now()).toISOString();
    const body = loggedBody(req.body);
    res.on('finish', () => {
      const caller = res.locals.caller as { token: string; appId: number; clientId: string } | undefined;
      const formClient =
        typeof (req.body as Record<string, unknown> | undefined)?.client_id === 'string'
          ? String((req.body as Record<string, unknown>).client_id)
          : undefined;
      const app = formClient === undefined ? undefined : ctx.tokens.app(formClient);
      ctx.writes.add({
        at,
        method: req.method,
        path: req.path,
        query: { ...req.query },
        body,
        status: res.statusCode,
        kind: kindOf(req.method, req.path),
        ...(caller ? { token: caller.token, appId: caller.appId, clientId: caller.clientId } : {}),
        ...(!caller && app ? { appId: app.appId, clientId: app.clientId } : {}),
      });
    });
    next();
  };
}

const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  if (res.headersSent) return;
  if (error instanceof HubSpotError) {
    res.set(error.headers).status(error.httpStatus).json(error.body);
    return;
  }
  const parseFailure = error as { type?: string; status?: number; message?: string };
  if (parseFailure.type === 'entity.parse.failed') {
    res
      .status(400)
      .json(errorBody('VALIDATION_ERROR', `Invalid input JSON: ${parseFailure.message ?? 'unparseable body'}`));
    return;
  }
  if (parseFailure.type === 'entity.too.large') {
    res.status(413).json(errorBody('VALIDATION_ERROR', 'Request entity too large'));
    return;
  }
  console.error('sandbox: unexpected error', error);
  res.status(500).json(errorBody('INTERNAL_ERROR', 'internal error'));
};

import express, { type ErrorRequestHandler } from 'express';
import type { Logger } from '../logging/logger.ts';
import { page } from './pages.ts';
import { adminRoutes, type AdminRouteDeps } from './routes/admin.ts';
import { cardRoutes, type CardRouteDeps } from './routes/cards.ts';
import { ingestRoutes, type IngestRouteDeps } from './routes/ingest.ts';
import { metricsRoutes, type MetricsRouteDeps } from './routes/metrics.ts';
import { oauthRoutes, type OAuthRouteDeps } from './routes/oauth.ts';
import { operatorRoutes, type OperatorRouteDeps } from './routes/operator.ts';
import { reportRoutes, type ReportRouteDeps } from './routes/reports.ts';
import { syncStatusRoutes, type SyncStatusRouteDeps } from './routes/sync-status.ts';
import { webhookRoutes, type WebhookRouteDeps } from './routes/webhooks.ts';

export type HttpDeps = {
  log: Logger;
  oauth: Omit<OAuthRouteDeps, 'log'>;
  operator: OperatorRouteDeps;
  syncStatus: SyncStatusRouteDeps;
  metrics: MetricsRouteDeps;
  ingest: IngestRouteDeps;
  webhooks: Omit<WebhookRouteDeps, 'log'>;
  cards: Omit<CardRouteDeps, 'log'>;
  admin: Omit<AdminRouteDeps, 'log'>;
  reports: ReportRouteDeps;
};

/** The express app: routes per concern, one error handler that never leaks internals. */
export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(oauthRoutes({ ...deps.oauth, log: deps.log }));
  // Before any JSON parser: webhook signatures are checked on the raw body.
  app.use(webhookRoutes({ ...deps.webhooks, log: deps.log }));
  // Before any JSON parser too: card requests are signed on the raw body.
  app.use(cardRoutes({ ...deps.cards, log: deps.log }));
  // Before the general JSON parser: ingest batches may be up to 1 MB.
  app.use(ingestRoutes(deps.ingest));
  app.use(syncStatusRoutes(deps.syncStatus), metricsRoutes(deps.metrics));
  // Its own parsers per route: the entry-link request is signed on the raw body.
  app.use(adminRoutes({ ...deps.admin, log: deps.log }), reportRoutes(deps.reports));
  app.use(express.json({ limit: '100kb' }), operatorRoutes(deps.operator));
  app.use(errorHandler(deps.log));
  return app;
}

function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser and friends mark client errors (bad JSON, too large) with a status.
      res.status(status).json({ ok: false, error: { message: (error as Error).message } });
      return;
    }
    log.error({ err: error, path: req.path }, 'request failed');
    if (req.path.startsWith('/oauth/')) {
      res
        .status(502)
        .send(
          page('Install not completed', [
            'Closed Loop could not finish talking to HubSpot. Please try again in a minute.',
          ]),
        );
      return;
    }
    res.status(500).json({ ok: false, error: { message: 'Closed Loop hit an internal error.' } });
  };
}

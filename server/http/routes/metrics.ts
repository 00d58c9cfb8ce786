import { Router } from 'express';
import type { Metrics } from '../../observability/metrics.ts';
import { bearerAuth } from '../bearer-auth.ts';

export type MetricsRouteDeps = {
  /** METRICS_TOKEN: unset means there is no `/metrics` (404), so a deployment can't expose it by accident. */
  token: string | undefined;
  metrics: () => Metrics;
};

/**
 * `GET /metrics`: Prometheus text format, for a scraper holding `Authorization: Bearer METRICS_TOKEN`
 * (a token of its own: a scraper's credentials should not also delete portals, as the operator's do).
 */
export function metricsRoutes(deps: MetricsRouteDeps): Router {
  const router = Router();
  if (!deps.token) return router;
  const metrics = deps.metrics();
  router.get('/metrics', bearerAuth(deps.token, 'a valid metrics token is required'), async (_req, res) => {
    const text = await metrics.render();
    res.set('Content-Type', metrics.contentType).send(text);
  });
  return router;
}

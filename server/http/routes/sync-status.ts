import { Router } from 'express';
import { z } from 'zod';
import type { Queryable } from '../../db/pool.ts';
import { DEFAULT_HISTORY, MAX_HISTORY, readSyncStatus } from '../../observability/sync-status.ts';
import { bearerAuth } from '../bearer-auth.ts';
import { OPERATOR_TOKEN_REQUIRED } from './operator.ts';

export type SyncStatusRouteDeps = {
  db: Queryable;
  /**
   * OPERATOR_API_TOKEN: this route is for operators (unset means the route does not exist, 404).
   * Admins see sync status on the admin page (their session) and in the settings component
   * (`POST /admin/summary`, signed by HubSpot).
   */
  token: string | undefined;
};

const Params = z.object({ portalId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const Query = z.object({ history: z.coerce.number().int().min(1).max(MAX_HISTORY).default(DEFAULT_HISTORY) });

/**
 * `GET /operator/portals/:portalId/sync?history=N`: the portal's sync status (runs in progress with
 * their streams done of total and records so far, the last successful run of each kind, the last N
 * runs). See server/observability/README.md for the shape.
 */
export function syncStatusRoutes(deps: SyncStatusRouteDeps): Router {
  const router = Router();
  if (!deps.token) return router;
  router.get('/operator/portals/:portalId/sync', bearerAuth(deps.token, OPERATOR_TOKEN_REQUIRED), async (req, res) => {
    const params = Params.safeParse(req.params);
    const query = Query.safeParse(req.query);
    if (!params.success || !query.success) {
      const issues = [...(params.error?.issues ?? []), ...(query.error?.issues ?? [])];
      res
        .status(400)
        .json({ ok: false, error: { message: issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
      return;
    }
    const status = await readSyncStatus(deps.db, params.data.portalId, { history: query.data.history });
    if (!status) {
      res.status(404).json({ ok: false, error: { message: `portal ${params.data.portalId} is not known` } });
      return;
    }
    res.json({ ok: true, data: status });
  });
  return router;
}

import { Router } from 'express';
import { z } from 'zod';
import type { DeletionReport } from '../../install/delete-portal.ts';
import { bearerAuth } from '../bearer-auth.ts';

export type OperatorRouteDeps = {
  /** Unset: the operator API does not exist (404), so a deployment can't expose it by accident. */
  token: string | undefined;
  uninstall: (portalId: number, reason: string) => Promise<DeletionReport>;
};

export const OPERATOR_TOKEN_REQUIRED = 'a valid operator token is required';

const PortalParams = z.object({ portalId: z.coerce.number().int().positive() });
const DeleteBody = z.object({ reason: z.string().trim().min(3).max(500) });

/** For the people operating Closed Loop: deleting a portal's data on its owner's request. */
export function operatorRoutes(deps: OperatorRouteDeps): Router {
  const router = Router();
  if (!deps.token) return router;
  const authorized = bearerAuth(deps.token, OPERATOR_TOKEN_REQUIRED);

  router.post('/operator/portals/:portalId/delete', authorized, async (req, res) => {
    const params = PortalParams.safeParse(req.params);
    const body = DeleteBody.safeParse(req.body ?? {});
    if (!params.success || !body.success) {
      const issues = [...(params.error?.issues ?? []), ...(body.error?.issues ?? [])];
      res
        .status(400)
        .json({ ok: false, error: { message: issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
      return;
    }
    const report = await deps.uninstall(params.data.portalId, `operator: ${body.data.reason}`);
    res.json({ ok: true, data: report });
  });
  return router;
}

import { Router } from 'express';
import { requireScopes } from '../auth.ts';
import type { SandboxContext } from '../context.ts';
import { notFound, validationError } from '../errors.ts';
import type { FixtureOwner } from '../fixture.ts';
import { boolParam, intParam, stringParam } from './params.ts';

/**
 * Owners v3: paged (default 100, at most 500 a page), filterable by email. Fields the fixture leaves out:
 * `type` PERSON, `userId` the owner id as a number, created/updated at the fixture's `now`.
 * `archived` (default false) lists either the active owners or, with `true`, only the archived ones
 * (users deactivated in the portal): HubSpot's default listing leaves them out. An archived owner has
 * no `userId`, only `userIdIncludingInactive` (as HubSpot answers: hubspot-api-python#314, airbyte#55818).
 */
export const OWNER_LIMITS = { defaultLimit: 100, maxLimit: 500 };
const SCOPES = ['crm.objects.owners.read'];

export function ownerRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const now = new Date(ctx.store.fixtureNow).toISOString();
  const publicOwner = (o: FixtureOwner) => {
    const userId = o.userId ?? Number(o.id);
    return {
      id: o.id,
      email: o.email,
      type: o.type ?? 'PERSON',
      ...(o.firstName === undefined ? {} : { firstName: o.firstName }),
      ...(o.lastName === undefined ? {} : { lastName: o.lastName }),
      ...(o.archived ? {} : { userId }),
      userIdIncludingInactive: userId,
      createdAt: o.createdAt ?? now,
      updatedAt: o.updatedAt ?? now,
      archived: o.archived ?? false,
      ...(o.teams === undefined ? {} : { teams: o.teams }),
    };
  };
  const sorted = () => [...ctx.store.owners].sort((a, b) => Number(a.id) - Number(b.id));

  router.get('/crm/v3/owners', (req, res) => {
    requireScopes(ctx, res, SCOPES);
    const limit = intParam(req.query.limit, 'limit', {
      min: 1,
      max: OWNER_LIMITS.maxLimit,
      fallback: OWNER_LIMITS.defaultLimit,
    });
    const after = intParam(req.query.after, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    const archived = boolParam(req.query.archived, 'archived');
    const email = stringParam(req.query.email)?.trim().toLowerCase();
    const all = sorted().filter(
      (o) => (o.archived ?? false) === archived && (email === undefined || o.email.toLowerCase() === email),
    );
    const page = all.slice(after, after + limit);
    const next = after + page.length;
    res.json({
      results: page.map(publicOwner),
      ...(next < all.length ? { paging: { next: { after: String(next) } } } : {}),
    });
  });

  router.get('/crm/v3/owners/:ownerId', (req, res) => {
    requireScopes(ctx, res, SCOPES);
    const idProperty = stringParam(req.query.idProperty) ?? 'id';
    if (idProperty !== 'id' && idProperty !== 'userId') throw validationError('idProperty must be id or userId');
    const archived = boolParam(req.query.archived, 'archived');
    const owner = sorted().find(
      (o) =>
        (idProperty === 'id' ? o.id : String(o.userId ?? Number(o.id))) === req.params.ownerId &&
        (o.archived ?? false) === archived,
    );
    if (!owner) throw notFound();
    res.json(publicOwner(owner));
  });
  return router;
}

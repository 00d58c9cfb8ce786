import { Router } from 'express';
import { AssociationStore, direction } from '../associations.ts';
import { objectScopes, requireScopes } from '../auth.ts';
import { sourceOf, type SandboxContext } from '../context.ts';
import type { CrmObjectType } from '../contracts.ts';
import { notFound, validationError } from '../errors.ts';
import { iso } from '../serialize.ts';
import { intParam, objectBody, objectType } from './params.ts';
import { batchInputs } from './writes-validation.ts';

/**
 * Associations v4: batch read (≤1,000 inputs) and per-record reads, answered from either end with
 * HubSpot's default association types; default (unlabeled) associate and remove; labelled associate
 * (`PUT …/associations/{to}/{toId}` with association types) and removal of specific labels
 * (`batch/labels/archive`) for the HUBSPOT_DEFINED types: unlabeled and "Primary" (company). Removing
 * the unlabeled type removes the association with all its labels (HubSpot's reference: "Deleting an
 * unlabeled association will also delete all labeled associations between those two objects");
 * removing "Primary" leaves the association. Custom (USER_DEFINED) labels are not modelled: 400.
 * `toObjectId` is a number, as HubSpot's v4 answers carry it. Archived records' associations are not
 * listed (unverified: HubSpot's UI shows none for a deleted record, and a restore brings them back).
 */
export const ASSOCIATION_LIMITS = { maxBatchRead: 1000, pageSize: 500, maxBatchWrite: 2000 };

/** HubSpot's object type ids, as the labelled-association answer names the two ends. */
const OBJECT_TYPE_ID: Record<CrmObjectType, string> = {
  contacts: '0-1',
  companies: '0-2',
  deals: '0-3',
  tickets: '0-5',
};

function pair(ctx: SandboxContext, fromRaw: string, toRaw: string): { from: CrmObjectType; to: CrmObjectType } {
  const from = objectType(fromRaw);
  const to = objectType(toRaw);
  if (!direction(from, to)) throw validationError(`No association is defined between ${from} and ${to}`);
  return { from, to };
}

export function associationRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;

  // A record in the recycle bin keeps its associations (a restore brings them back) but neither end
  // lists them meanwhile.
  const associated = (from: CrmObjectType, id: string, to: CrmObjectType) =>
    store.associations
      .idsOf(from, id, to)
      .filter((toId) => store.get(to, toId)?.archived === false)
      .map((toId) => ({
        toObjectId: Number(toId),
        associationTypes: store.associations.typesOf(from, id, to, toId),
      }));

  router.post('/crm/v4/associations/:from/:to/batch/read', (req, res) => {
    const started = store.clock.now();
    const { from, to } = pair(ctx, req.params.from, req.params.to);
    requireScopes(ctx, res, objectScopes(from, 'read'));
    const inputs = batchInputs(objectBody(req.body), ASSOCIATION_LIMITS.maxBatchRead) as {
      id?: unknown;
      after?: unknown;
    }[];
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs) {
      if (input?.id === undefined) throw validationError('Each input needs an id');
      const id = String(input.id);
      const object = store.get(from, id);
      const all = object && !object.archived ? associated(from, object.id, to) : [];
      if (all.length === 0) {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${AssociationStore.singular(to)} is associated with ${AssociationStore.singular(from)} ${id}.`,
          context: { fromObjectId: [id] },
          errors: [],
          links: {},
        });
        continue;
      }
      const offset = input.after === undefined ? 0 : Number(input.after);
      if (!Number.isInteger(offset) || offset < 0) throw validationError('after must be an integer string');
      const page = all.slice(offset, offset + ASSOCIATION_LIMITS.pageSize);
      const next = offset + page.length;
      results.push({
        from: { id: object!.id },
        to: page,
        ...(next < all.length ? { paging: { next: { after: String(next) } } } : {}),
      });
    }
    res.status(errors.length ? 207 : 200).json({
      status: 'COMPLETE',
      results,
      ...(errors.length ? { numErrors: errors.length, errors } : {}),
      startedAt: iso(started),
      completedAt: iso(store.clock.now()),
    });
  });

  router.get('/crm/v4/objects/:from/:id/associations/:to', (req, res) => {
    const { from, to } = pair(ctx, req.params.from, req.params.to);
    requireScopes(ctx, res, objectScopes(from, 'read'));
    const object = store.get(from, req.params.id);
    if (!object || object.archived) throw notFound();
    const limit = intParam(req.query.limit, 'limit', {
      min: 1,
      max: ASSOCIATION_LIMITS.pageSize,
      fallback: ASSOCIATION_LIMITS.pageSize,
    });
    const after = intParam(req.query.after, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    const all = associated(from, object.id, to);
    const page = all.slice(after, after + limit);
    const next = after + page.length;
    res.json({ results: page, ...(next < all.length ? { paging: { next: { after: String(next) } } } : {}) });
  });

  const associateDefault = (
    from: CrmObjectType,
    fromId: string,
    to: CrmObjectType,
    toId: string,
    source: ReturnType<typeof sourceOf>,
  ) => {
    const a = store.get(from, fromId);
    const b = store.get(to, toId);
    if (!a || !b) throw notFound(`No ${!a ? from : to} with id ${!a ? fromId : toId}`);
    store.associate(from, a.id, to, b.id, source);
    return {
      from: { id: a.id },
      to: { id: b.id },
      associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: direction(from, to)!.unlabeled },
    };
  };

  router.put('/crm/v4/objects/:from/:id/associations/default/:to/:toId', (req, res) => {
    const started = store.clock.now();
    const { from, to } = pair(ctx, req.params.from, req.params.to);
    requireScopes(ctx, res, objectScopes(from, 'write'));
    const result = associateDefault(from, req.params.id, to, req.params.toId, sourceOf(ctx, res));
    res.json({ status: 'COMPLETE', results: [result], startedAt: iso(started), completedAt: iso(store.clock.now()) });
  });

  router.post('/crm/v4/associations/:from/:to/batch/associate/default', (req, res) => {
    const started = store.clock.now();
    const { from, to } = pair(ctx, req.params.from, req.params.to);
    requireScopes(ctx, res, objectScopes(from, 'write'));
    const inputs = batchInputs(objectBody(req.body), 2000) as { from?: { id?: unknown }; to?: { id?: unknown } }[];
    const source = sourceOf(ctx, res);
    const results = inputs.map((i) => associateDefault(from, String(i?.from?.id), to, String(i?.to?.id), source));
    res.json({ status: 'COMPLETE', results, startedAt: iso(started), completedAt: iso(store.clock.now()) });
  });

  // Which of the pair's HUBSPOT_DEFINED types a body names (its unlabeled type, its "Primary" label).
  const typesAsked = (
    from: CrmObjectType,
    to: CrmObjectType,
    specs: unknown,
  ): { unlabeled: boolean; primary: boolean } => {
    if (!Array.isArray(specs) || specs.length === 0)
      throw validationError('At least one association type (associationCategory, associationTypeId) is required');
    const d = direction(from, to)!;
    const asked = { unlabeled: false, primary: false };
    for (const spec of specs as { associationCategory?: unknown; associationTypeId?: unknown }[]) {
      if (spec?.associationCategory !== 'HUBSPOT_DEFINED')
        throw validationError(
          `associationCategory ${String(spec?.associationCategory)}: only HUBSPOT_DEFINED types are modelled by the sandbox`,
        );
      if (spec.associationTypeId === d.unlabeled) asked.unlabeled = true;
      else if (d.primary !== undefined && spec.associationTypeId === d.primary) asked.primary = true;
      else
        throw validationError(
          `associationTypeId ${String(spec.associationTypeId)} is not defined from ${from} to ${to}`,
        );
    }
    return asked;
  };

  // Associates two records with the types asked (the association itself, and the "Primary" label when
  // asked: it moves from the record's previous primary company).
  router.put('/crm/v4/objects/:from/:id/associations/:to/:toId', (req, res) => {
    const { from, to } = pair(ctx, req.params.from, req.params.to);
    requireScopes(ctx, res, objectScopes(from, 'write'));
    const asked = typesAsked(from, to, req.body);
    const a = store.get(from, req.params.id);
    const b = store.get(to, req.params.toId);
    if (!a || a.archived || !b || b.archived)
      throw notFound(
        `No ${!a || a.archived ? from : to} with id ${!a || a.archived ? req.params.id : req.params.toId}`,
      );
    const source = sourceOf(ctx, res);
    store.associate(from, a.id, to, b.id, source);
    if (asked.primary) store.labelPrimary(from, a.id, to, b.id, true, source);
    // 201, as the SDK's generated client expects of this operation.
    res.status(201).json({
      fromObjectTypeId: OBJECT_TYPE_ID[from],
      fromObjectId: a.id,
      toObjectTypeId: OBJECT_TYPE_ID[to],
      toObjectId: b.id,
      labels: store.associations.typesOf(from, a.id, to, b.id).flatMap((t) => (t.label === null ? [] : [t.label])),
    });
  });

  // Removes the types asked from each pair: the unlabeled type takes the whole association (labels
  // included), "Primary" only the label. Unknown records and absent types are skipped (unverified).
  router.post('/crm/v4/associations/:from/:to/batch/labels/archive', (req, res) => {
    const { from, to } = pair(ctx, req.params.from, req.params.to);
    requireScopes(ctx, res, objectScopes(from, 'write'));
    const inputs = batchInputs(objectBody(req.body), ASSOCIATION_LIMITS.maxBatchWrite) as {
      from?: { id?: unknown };
      to?: { id?: unknown };
      types?: unknown;
    }[];
    const planned = inputs.map((input) => ({
      fromId: String(input?.from?.id),
      toId: String(input?.to?.id),
      asked: typesAsked(from, to, input?.types),
    }));
    const source = sourceOf(ctx, res);
    for (const { fromId, toId, asked } of planned) {
      const a = store.get(from, fromId);
      const b = store.get(to, toId);
      if (!a || !b) continue;
      if (asked.unlabeled) store.dissociate(from, a.id, to, b.id, source);
      else if (asked.primary) store.labelPrimary(from, a.id, to, b.id, false, source);
    }
    res.status(204).end();
  });

  router.delete('/crm/v4/objects/:from/:id/associations/:to/:toId', (req, res) => {
    const { from, to } = pair(ctx, req.params.from, req.params.to);
    requireScopes(ctx, res, objectScopes(from, 'write'));
    store.dissociate(from, req.params.id, to, req.params.toId, sourceOf(ctx, res));
    res.status(204).end();
  });

  return router;
}

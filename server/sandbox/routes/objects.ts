import { Router, type Request, type Response } from 'express';
import { objectScopes, requireScopes } from '../auth.ts';
import { directionOfType } from '../associations.ts';
import { sourceOf, type SandboxContext } from '../context.ts';
import type { ChangeSource, CrmObjectType } from '../contracts.ts';
import { HubSpotError, errorBody, notFound, validationError } from '../errors.ts';
import type { StoredObject } from '../objects.ts';
import { DEFAULT_READ_PROPERTIES } from '../properties/builtins.ts';
import { LAST_MODIFIED_PROPERTY } from '../properties/definitions.ts';
import { iso, toPublicObject, type ReadShape } from '../serialize.ts';
import { boolParam, intParam, listParam, objectBody, objectType, stringList, stringParam } from './params.ts';
import {
  MAX_HISTORY_BATCH_INPUTS,
  batchInputs,
  checkProperties,
  invalidProperties,
  noProperties,
  notFoundMessage,
} from './writes-validation.ts';

/**
 * CRM objects v3 for contacts, companies, deals and tickets: list (≤100 a page, 50 with history, as
 * HubSpot cuts history pages), read, batch read (≤100 inputs, ≤50 with history; missing ids → 207),
 * create, update, batch create/update/archive, archive and merge (a new record takes both ids).
 *
 * Partial failures of batch update: without `objectWriteTraceId` on the inputs, any input with an
 * invalid property or value fails the whole batch with HubSpot's 400 VALIDATION_ERROR and nothing is
 * written. With trace ids, valid inputs are written and each failed one is reported in a 207's
 * `errors` with its `objectWriteTraceId` in `context`. Ids that do not exist are always reported in a
 * 207 (OBJECT_NOT_FOUND, `context.ids`), the others written.
 */
export const LIST_LIMITS = { defaultLimit: 10, maxLimit: 100, maxWithHistory: 50 };

const typeList = (raw: unknown): CrmObjectType[] | undefined => listParam(raw)?.map(objectType);

function readShape(type: CrmObjectType, query: Request['query']): ReadShape {
  const properties = listParam(query.properties);
  const history = listParam(query.propertiesWithHistory);
  const associations = typeList(query.associations);
  return {
    properties: properties && properties.length > 0 ? properties : DEFAULT_READ_PROPERTIES[type],
    ...(history ? { propertiesWithHistory: history } : {}),
    ...(associations ? { associations } : {}),
  };
}

const batchEnvelope = (startedAt: number, completedAt: number, results: unknown[], errors: unknown[]) => ({
  status: 'COMPLETE',
  results,
  ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
  startedAt: iso(startedAt),
  completedAt: iso(completedAt),
});

/** A record by id or by a unique property (`email` for contacts), not archived unless asked. */
function lookup(
  ctx: SandboxContext,
  type: CrmObjectType,
  id: string,
  idProperty: string | undefined,
  archived = false,
): StoredObject | undefined {
  let object: StoredObject | undefined;
  if (idProperty === undefined || idProperty === 'hs_object_id') object = ctx.store.get(type, id);
  else if (idProperty === 'email' && type === 'contacts') object = ctx.store.findContactByEmail(id);
  else throw validationError(`Unable to perform lookup by non-unique property ${idProperty}`);
  return object && object.archived === archived ? object : undefined;
}

/** The properties a write answers with: the ones written plus HubSpot's defaults. */
const writtenShape = (type: CrmObjectType, names: string[]): ReadShape => ({
  properties: [...names, 'createdate', 'hs_object_id', LAST_MODIFIED_PROPERTY[type]],
});

export function objectRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;

  router.get('/crm/v3/objects/:type', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, objectScopes(type, 'read'));
    const shape = readShape(type, req.query);
    let limit = intParam(req.query.limit, 'limit', {
      min: 1,
      max: LIST_LIMITS.maxLimit,
      fallback: LIST_LIMITS.defaultLimit,
    });
    if (shape.propertiesWithHistory?.length) limit = Math.min(limit, LIST_LIMITS.maxWithHistory);
    const after = intParam(req.query.after, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    const archived = boolParam(req.query.archived, 'archived');
    const page = store.tables[type].page(after, limit, archived);
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${req.path}`;
    res.json({
      results: page.items.map((o) => toPublicObject(store, o, shape)),
      ...(page.next === undefined
        ? {}
        : {
            paging: {
              next: {
                after: page.next,
                link: `${base}?after=${page.next}${limit === LIST_LIMITS.defaultLimit ? '' : `&limit=${limit}`}`,
              },
            },
          }),
    });
  });

  router.get('/crm/v3/objects/:type/:id', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, objectScopes(type, 'read'));
    const object = lookup(
      ctx,
      type,
      req.params.id,
      stringParam(req.query.idProperty),
      boolParam(req.query.archived, 'archived'),
    );
    if (!object) throw notFound();
    res.json(toPublicObject(store, object, readShape(type, req.query)));
  });

  router.post('/crm/v3/objects/:type/batch/read', (req, res) => {
    const started = store.clock.now();
    const type = objectType(req.params.type);
    requireScopes(ctx, res, objectScopes(type, 'read'));
    const body = objectBody(req.body);
    const history = stringList(body.propertiesWithHistory, 'propertiesWithHistory') ?? [];
    const inputs = batchInputs(body);
    if (history.length > 0 && inputs.length > MAX_HISTORY_BATCH_INPUTS) {
      throw validationError(
        `The maximum number of inputs supported in a batch request for property histories is ${MAX_HISTORY_BATCH_INPUTS}. Please reduce the number of items and try again`,
      );
    }
    const properties = stringList(body.properties, 'properties') ?? [];
    const shape: ReadShape = {
      properties: properties.length > 0 ? properties : DEFAULT_READ_PROPERTIES[type],
      ...(history.length > 0 ? { propertiesWithHistory: history } : {}),
    };
    const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
    const archived = boolParam(req.query.archived, 'archived');
    const results: unknown[] = [];
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const input of inputs) {
      const id = (input as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' && typeof id !== 'number') throw validationError('Each input needs an id');
      const object = lookup(ctx, type, String(id), idProperty, archived);
      if (!object) missing.push(String(id));
      else if (!seen.has(object.id)) {
        seen.add(object.id);
        results.push(toPublicObject(store, object, shape));
      }
    }
    const errors = missing.length
      ? [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: notFoundMessage(type), context: { ids: missing } }]
      : [];
    res.status(errors.length ? 207 : 200).json(batchEnvelope(started, store.clock.now(), results, errors));
  });

  router.post('/crm/v3/objects/:type/batch/update', (req, res) => {
    const started = store.clock.now();
    const type = objectType(req.params.type);
    requireScopes(ctx, res, objectScopes(type, 'write'));
    const inputs = batchInputs(objectBody(req.body)) as {
      id?: unknown;
      properties?: unknown;
      idProperty?: unknown;
      objectWriteTraceId?: unknown;
    }[];
    const ids = inputs.map((i) => (typeof i?.id === 'string' || typeof i?.id === 'number' ? String(i.id) : undefined));
    if (ids.some((id) => id === undefined)) throw validationError('Each input needs an id');
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (duplicates.length)
      throw validationError(
        `Duplicate IDs found in batch input: [${[...new Set(duplicates)].join(', ')}]. IDs must be unique`,
      );
    const traced = inputs.some((i) => i.objectWriteTraceId !== undefined);
    const planned: { object: StoredObject; values: Record<string, string> }[] = [];
    const errors: unknown[] = [];
    const missing: { id: string; trace?: string }[] = [];
    for (const [index, input] of inputs.entries()) {
      const idProperty = typeof input.idProperty === 'string' ? input.idProperty : undefined;
      const object = lookup(ctx, type, ids[index]!, idProperty);
      const trace = input.objectWriteTraceId === undefined ? undefined : String(input.objectWriteTraceId);
      if (input.properties && typeof input.properties === 'object' && Object.keys(input.properties).length === 0)
        throw noProperties();
      const checked = checkProperties(store, type, input.properties, object?.properties);
      if (!checked.ok) {
        if (!traced) throw invalidProperties(checked.problems);
        const error = invalidProperties(checked.problems).body;
        errors.push({ ...error, context: { ...(trace ? { objectWriteTraceId: [trace] } : {}), ids: [ids[index]!] } });
        continue;
      }
      if (!object) missing.push({ id: ids[index]!, ...(trace ? { trace } : {}) });
      else planned.push({ object, values: checked.values });
    }
    const source = sourceOf(ctx, res);
    const results = planned.map(({ object, values }) => {
      store.update(type, object.id, values, source);
      return toPublicObject(store, object, writtenShape(type, Object.keys(values)));
    });
    if (missing.length) {
      const traces = missing.flatMap((m) => (m.trace ? [m.trace] : []));
      errors.push({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        message: notFoundMessage(type),
        context: { ids: missing.map((m) => m.id), ...(traces.length ? { objectWriteTraceId: traces } : {}) },
      });
    }
    res.status(errors.length ? 207 : 200).json(batchEnvelope(started, store.clock.now(), results, errors));
  });

  const createOne = (
    type: CrmObjectType,
    input: { properties?: unknown; associations?: unknown },
    batch: Set<string>,
  ) => {
    const checked = checkProperties(store, type, input.properties ?? {}, undefined);
    if (!checked.ok) throw invalidProperties(checked.problems);
    if (type === 'contacts' && checked.values.email) {
      const email = checked.values.email.trim().toLowerCase();
      const existing = store.findContactByEmail(email);
      if (existing || batch.has(email)) {
        throw new HubSpotError(
          409,
          errorBody('CONFLICT', `Contact already exists. Existing ID: ${existing?.id ?? 'in this batch'}`),
        );
      }
      batch.add(email);
    }
    return { values: checked.values, associations: parseCreateAssociations(ctx, type, input.associations) };
  };

  const applyCreate = (type: CrmObjectType, plan: ReturnType<typeof createOne>, res: Response) => {
    const source = sourceOf(ctx, res);
    const object = store.create(type, plan.values, source);
    for (const a of plan.associations)
      store.associate(type, object.id, a.toType, a.toId, source, a.primary || undefined);
    return toPublicObject(store, object, writtenShape(type, Object.keys(plan.values)));
  };

  router.post('/crm/v3/objects/:type/batch/create', (req, res) => {
    const started = store.clock.now();
    const type = objectType(req.params.type);
    requireScopes(ctx, res, objectScopes(type, 'write'));
    const inputs = batchInputs(objectBody(req.body)) as { properties?: unknown; associations?: unknown }[];
    const emails = new Set<string>();
    const plans = inputs.map((input) => createOne(type, input ?? {}, emails));
    const results = plans.map((plan) => applyCreate(type, plan, res));
    res.status(201).json(batchEnvelope(started, store.clock.now(), results, []));
  });

  router.post('/crm/v3/objects/:type/batch/archive', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, objectScopes(type, 'write'));
    const inputs = batchInputs(objectBody(req.body)) as { id?: unknown }[];
    const source = sourceOf(ctx, res);
    for (const input of inputs) if (input?.id !== undefined) store.archive(type, String(input.id), source);
    res.status(204).end();
  });

  router.post('/crm/v3/objects/:type/merge', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, objectScopes(type, 'write'));
    const result = mergeRecords(ctx, type, objectBody(req.body), sourceOf(ctx, res));
    res.json(toPublicObject(store, result, { properties: DEFAULT_READ_PROPERTIES[type] }));
  });

  router.post('/crm/v3/objects/:type', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, objectScopes(type, 'write'));
    const plan = createOne(type, objectBody(req.body), new Set());
    res.status(201).json(applyCreate(type, plan, res));
  });

  router.patch('/crm/v3/objects/:type/:id', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, objectScopes(type, 'write'));
    const object = lookup(ctx, type, req.params.id, stringParam(req.query.idProperty));
    if (!object) throw notFound();
    const body = objectBody(req.body);
    if (body.properties && typeof body.properties === 'object' && Object.keys(body.properties).length === 0)
      throw noProperties();
    const checked = checkProperties(store, type, body.properties, object.properties);
    if (!checked.ok) throw invalidProperties(checked.problems);
    store.update(type, object.id, checked.values, sourceOf(ctx, res));
    res.json(toPublicObject(store, object, writtenShape(type, Object.keys(checked.values))));
  });

  router.delete('/crm/v3/objects/:type/:id', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, objectScopes(type, 'write'));
    store.archive(type, req.params.id, sourceOf(ctx, res));
    res.status(204).end();
  });

  return router;
}

/**
 * HubSpot's merge (`{primaryObjectId, objectIdToMerge}`), for the API and the control API: both must be
 * live records of the type; the result is a new record (see PortalStore.merge).
 */
export function mergeRecords(
  ctx: SandboxContext,
  type: CrmObjectType,
  body: Record<string, unknown>,
  source: ChangeSource,
): StoredObject {
  const primaryId = String(body.primaryObjectId ?? '');
  const mergedId = String(body.objectIdToMerge ?? '');
  if (!primaryId || !mergedId) throw validationError('primaryObjectId and objectIdToMerge are required');
  const primary = lookup(ctx, type, primaryId, undefined);
  const merged = lookup(ctx, type, mergedId, undefined);
  if (!primary || !merged) throw notFound(notFoundMessage(type));
  if (primary.id === merged.id) throw validationError('Cannot merge an object with itself');
  return ctx.store.merge(type, primary.id, merged.id, source);
}

type CreateAssociation = { toType: CrmObjectType; toId: string; primary: boolean };

/** `associations: [{to: {id}, types: [{associationCategory, associationTypeId}]}]` on a create. */
function parseCreateAssociations(ctx: SandboxContext, type: CrmObjectType, raw: unknown): CreateAssociation[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw validationError('associations must be an array');
  return raw.flatMap(
    (a: { to?: { id?: unknown }; types?: { associationCategory?: string; associationTypeId?: number }[] }) => {
      const toId = a?.to?.id === undefined ? undefined : String(a.to.id);
      if (!toId || !Array.isArray(a.types) || a.types.length === 0)
        throw validationError('Each association needs to.id and types');
      return a.types.map((t) => {
        const d =
          t.associationCategory === 'HUBSPOT_DEFINED' && typeof t.associationTypeId === 'number'
            ? directionOfType(t.associationTypeId)
            : undefined;
        if (!d || d.from !== type)
          throw validationError(`Association type ${String(t.associationTypeId)} is not valid from ${type}`);
        if (!ctx.store.get(d.to, toId)) throw validationError(`No ${d.to} with id ${toId} to associate with`);
        return { toType: d.to, toId, primary: d.primary };
      });
    },
  );
}

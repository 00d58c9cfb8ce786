import { Router, type Request } from 'express';
import { requireScopes } from '../auth.ts';
import type { SandboxContext } from '../context.ts';
import type { CrmObjectType } from '../contracts.ts';
import { HubSpotError, errorBody, notFound, validationError } from '../errors.ts';
import type { PropertyDefinition } from '../properties/definitions.ts';
import {
  checkValue,
  invalidPropertiesMessage,
  propertyDoesNotExist,
  type ValueProblem,
} from '../properties/validate.ts';
import { SEARCH_LIMITS } from '../routes/search.ts';
import { batchInputs } from '../routes/writes-validation.ts';
import { intParam, listParam, objectBody, objectType, stringList } from '../routes/params.ts';
import { iso } from '../serialize.ts';
import { DEFAULT_TASK_PROPERTIES, TASK_ASSOCIATION_TYPES, TASK_V3_NAMES, taskProperties } from './task-properties.ts';
import { tasksOf, type StoredTask, type TaskAssociation, type TaskStore } from './task-store.ts';

/**
 * CRM tasks v3 (`/crm/v3/objects/tasks`), the part the app uses: create (alone or in a batch of at most
 * 100, with associations to contacts, companies, deals and tickets), read, list and search. As HubSpot's
 * tasks guide has it: the scopes are the contacts' (`crm.objects.contacts.read|write`), `hs_timestamp`
 * is required (a create without it gets the captured 400 "Error creating TASK. Some required properties
 * were not set." with `context.properties`), values are checked like other objects' (owner ids must be
 * the portal's owners), and a create answers 201. Unverified: the wording of the 400 for an association
 * to a record that does not exist (taken from the v4 associations API's), the default read properties,
 * and search's semantics beyond EQ, NEQ, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY and the range
 * operators (other operators get a 400 here). Search sees a new task at once; HubSpot's index may lag.
 * Other task endpoints (update, archive, batch read) answer 404.
 */
const READ = ['crm.objects.contacts.read'];
const WRITE = ['crm.objects.contacts.write'];
const BASE = '/crm/v3/objects/tasks';

type CreateInput = { properties?: unknown; associations?: unknown };
type PlannedTask = { values: Record<string, string>; associations: TaskAssociation[] };

export function taskRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;
  const tasks = () => tasksOf(store);

  router.get(BASE, (req, res) => {
    requireScopes(ctx, res, READ);
    const limit = intParam(req.query.limit, 'limit', { min: 1, max: 100, fallback: 10 });
    const after = intParam(req.query.after, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    const page = tasks().page(after, limit);
    const shape = readShape(req);
    res.json({
      results: page.items.map((t) => toPublicTask(t, shape)),
      ...(page.next === undefined ? {} : { paging: { next: { after: page.next } } }),
    });
  });

  router.post(`${BASE}/search`, (req, res) => {
    requireScopes(ctx, res, READ);
    const body = objectBody(req.body);
    const limit = typeof body.limit === 'number' ? body.limit : 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMITS.maxLimit)
      throw validationError(`limit must be between 1 and ${SEARCH_LIMITS.maxLimit}`);
    const after = body.after === undefined ? 0 : Number(body.after);
    if (!Number.isInteger(after) || after < 0) throw validationError('after must be a non-negative integer');
    const match = compileGroups(body.filterGroups, taskProperties(store));
    const matches = tasks()
      .all()
      .filter((t) => match(t));
    const page = matches.slice(after, after + limit);
    const properties = stringList(body.properties, 'properties') ?? DEFAULT_TASK_PROPERTIES;
    const next = after + page.length;
    res.json({
      total: matches.length,
      results: page.map((t) => toPublicTask(t, { properties, associations: [] })),
      ...(next < matches.length ? { paging: { next: { after: String(next) } } } : {}),
    });
  });

  router.get(`${BASE}/:id`, (req, res) => {
    requireScopes(ctx, res, READ);
    const task = tasks().byId.get(req.params.id);
    if (!task) throw notFound();
    res.json(toPublicTask(task, readShape(req)));
  });

  router.post(`${BASE}/batch/create`, (req, res) => {
    const started = store.clock.now();
    requireScopes(ctx, res, WRITE);
    const plans = batchInputs(objectBody(req.body)).map((input) => planCreate(ctx, (input ?? {}) as CreateInput));
    const created = plans.map((plan) => create(tasks(), plan, store.clock.now()));
    res.status(201).json({
      status: 'COMPLETE',
      results: created.map((t) => toPublicTask(t, writtenShape(t))),
      startedAt: iso(started),
      completedAt: iso(store.clock.now()),
    });
  });

  router.post(BASE, (req, res) => {
    requireScopes(ctx, res, WRITE);
    const task = create(tasks(), planCreate(ctx, objectBody(req.body)), store.clock.now());
    res.status(201).json(toPublicTask(task, writtenShape(task)));
  });

  router.all([BASE, `${BASE}/*rest`], (req) => {
    throw notFound(`The sandbox does not model ${req.method} ${req.path}`);
  });

  return router;
}

const create = (store: TaskStore, plan: PlannedTask, at: number) => store.create(plan.values, plan.associations, at);

type TaskShape = { properties: string[]; associations: CrmObjectType[] };

function readShape(req: Request): TaskShape {
  const properties = listParam(req.query.properties);
  return {
    properties: properties && properties.length > 0 ? properties : DEFAULT_TASK_PROPERTIES,
    associations: (listParam(req.query.associations) ?? []).map(objectType),
  };
}

/** A create answers with what was written plus the defaults. */
const writtenShape = (task: StoredTask): TaskShape => ({
  properties: [...new Set([...task.properties.keys(), ...DEFAULT_TASK_PROPERTIES])],
  associations: [],
});

function toPublicTask(task: StoredTask, shape: TaskShape): Record<string, unknown> {
  const properties: Record<string, string | null> = {};
  for (const name of [...new Set([...shape.properties, ...DEFAULT_TASK_PROPERTIES])].sort())
    properties[name] = task.properties.get(name) ?? null;
  const out: Record<string, unknown> = {
    id: task.id,
    properties,
    createdAt: iso(task.createdAt),
    updatedAt: iso(task.updatedAt),
    archived: false,
  };
  const associations: Record<string, unknown> = {};
  for (const type of shape.associations) {
    const results = task.associations
      .filter((a) => a.toType === type)
      .map((a) => ({ id: a.toId, type: TASK_V3_NAMES[type] }));
    if (results.length > 0) associations[type] = { results };
  }
  if (Object.keys(associations).length > 0) out.associations = associations;
  return out;
}

function planCreate(ctx: SandboxContext, input: CreateInput): PlannedTask {
  const raw = input.properties ?? {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw validationError('properties must be an object of property names to string values');
  const defs = taskProperties(ctx.store);
  const values: Record<string, string> = {};
  const problems: { name: string; problem: ValueProblem }[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const def = defs.get(name);
    const checked = def ? checkValue(def, value, undefined) : undefined;
    if (!checked) problems.push({ name, problem: propertyDoesNotExist(name) });
    else if (checked.ok) values[name] = checked.value;
    else problems.push({ name, problem: checked.problem });
  }
  if (problems.length > 0)
    throw new HubSpotError(400, errorBody('VALIDATION_ERROR', invalidPropertiesMessage(problems)));
  if (!values.hs_timestamp) {
    throw validationError('Error creating TASK. Some required properties were not set.', {
      context: { properties: ['hs_timestamp'] },
    });
  }
  return { values, associations: parseAssociations(ctx, input.associations) };
}

/** `associations: [{to: {id}, types: [{associationCategory, associationTypeId}]}]`, to live records. */
function parseAssociations(ctx: SandboxContext, raw: unknown): TaskAssociation[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw validationError('associations must be an array');
  const invalid: string[] = [];
  const associations = raw.flatMap((a: { to?: { id?: unknown }; types?: unknown }) => {
    const toId = a?.to?.id === undefined || a.to.id === null ? undefined : String(a.to.id);
    if (!toId || !Array.isArray(a.types) || a.types.length === 0)
      throw validationError('Each association needs to.id and types');
    return (a.types as { associationCategory?: unknown; associationTypeId?: unknown }[]).map((t) => {
      const toType =
        t?.associationCategory === 'HUBSPOT_DEFINED' && typeof t.associationTypeId === 'number'
          ? TASK_ASSOCIATION_TYPES[t.associationTypeId as keyof typeof TASK_ASSOCIATION_TYPES]
          : undefined;
      if (!toType) throw validationError(`Association type ${String(t?.associationTypeId)} is not valid from a task`);
      const record = ctx.store.get(toType, toId);
      if (!record || record.archived) invalid.push(`${toType.slice(0, -1).toUpperCase()}=${toId} is not valid`);
      return { toType, toId: record?.id ?? toId, typeId: t.associationTypeId as number };
    });
  });
  if (invalid.length > 0)
    throw validationError('One or more associations are invalid', { context: { INVALID_OBJECT_IDS: invalid } });
  return associations;
}

type Filter = { propertyName?: unknown; operator?: unknown; value?: unknown; values?: unknown };

/** OR across groups, AND within one; no groups matches every task. */
function compileGroups(raw: unknown, defs: Map<string, PropertyDefinition>): (task: StoredTask) => boolean {
  if (raw === undefined) return () => true;
  if (!Array.isArray(raw)) throw validationError('filterGroups must be an array');
  if (raw.length > SEARCH_LIMITS.maxGroups)
    throw validationError(`Too many filter groups: ${raw.length}. The maximum is ${SEARCH_LIMITS.maxGroups}.`);
  if (raw.length === 0) return () => true;
  const groups = raw.map((g: { filters?: unknown }) => {
    if (!Array.isArray(g?.filters)) throw validationError('Each filter group needs a filters array');
    if (g.filters.length > SEARCH_LIMITS.maxFiltersPerGroup)
      throw validationError(
        `Too many filters in a group: ${g.filters.length}. The maximum is ${SEARCH_LIMITS.maxFiltersPerGroup}.`,
      );
    return (g.filters as Filter[]).map((f) => compileFilter(f, defs));
  });
  return (task) => groups.some((filters) => filters.every((test) => test(task)));
}

function compileFilter(filter: Filter, defs: Map<string, PropertyDefinition>): (task: StoredTask) => boolean {
  const name = filter.propertyName;
  if (typeof name !== 'string' || name === '') throw validationError('Each filter needs a propertyName');
  const def = defs.get(name);
  // Numbers compare numerically, dates as instants, the rest as case-insensitive text (as other objects).
  const key = (value: string): number | string =>
    def?.type === 'number'
      ? Number(value)
      : def?.type === 'datetime' || def?.type === 'date'
        ? /^-?\d+$/.test(value)
          ? Number(value)
          : Date.parse(value)
        : value.toLowerCase();
  const read = (task: StoredTask) => {
    const v = task.properties.get(name);
    return v === undefined || v === '' ? undefined : key(v);
  };
  const operand = () => {
    if (typeof filter.value !== 'string' && typeof filter.value !== 'number')
      throw validationError(`${String(filter.operator)} on ${name} needs a value`);
    return key(String(filter.value));
  };
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return (t) => read(t) !== undefined;
    case 'NOT_HAS_PROPERTY':
      return (t) => read(t) === undefined;
    case 'EQ': {
      const v = operand();
      return (t) => read(t) === v;
    }
    case 'NEQ': {
      const v = operand();
      return (t) => read(t) !== v;
    }
    case 'IN':
    case 'NOT_IN': {
      if (!Array.isArray(filter.values) || filter.values.length === 0)
        throw validationError(`${filter.operator} on ${name} needs a non-empty values array`);
      const set = new Set(filter.values.map((v) => key(String(v))));
      const hit = (t: StoredTask) => {
        const v = read(t);
        return v !== undefined && set.has(v);
      };
      return filter.operator === 'IN' ? hit : (t) => !hit(t);
    }
    case 'GT':
    case 'GTE':
    case 'LT':
    case 'LTE': {
      const v = operand();
      const op = filter.operator;
      return (t) => {
        const x = read(t);
        if (x === undefined) return false;
        return op === 'GT' ? x > v : op === 'GTE' ? x >= v : op === 'LT' ? x < v : x <= v;
      };
    }
    default:
      throw validationError(`The sandbox's task search does not support the operator ${String(filter.operator)}`);
  }
}

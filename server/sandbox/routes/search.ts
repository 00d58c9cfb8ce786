import { Router, type Request } from 'express';
import { objectScopes, requireScopes } from '../auth.ts';
import type { SandboxContext } from '../context.ts';
import type { CrmObjectType } from '../contracts.ts';
import { validationError } from '../errors.ts';
import type { StoredObject } from '../objects.ts';
import { DEFAULT_SEARCH_PROPERTIES, QUERY_PROPERTIES } from '../properties/builtins.ts';
import { compileFilterGroups, parseSort, sortRecords, type FilterGroup } from '../search/filters.ts';
import { toPublicObject } from '../serialize.ts';
import { objectBody, objectType, stringList } from './params.ts';

/**
 * POST /crm/v3/objects/{type}/search with HubSpot's limits: at most 200 a page, 5 filter groups of at
 * most 6 filters and 18 filters in all, one sort, a body of at most 3,000 characters, and no paging
 * past the 10,000th result (the `after` that would reach it gets a 400). `total` counts every match.
 * Archived records never match.
 */
export const SEARCH_LIMITS = {
  maxLimit: 200,
  maxGroups: 5,
  maxFiltersPerGroup: 6,
  maxFilters: 18,
  maxBody: 3000,
  maxResults: 10_000,
};

export function searchRoutes(ctx: SandboxContext): Router {
  const router = Router();
  router.post('/crm/v3/objects/:type/search', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, objectScopes(type, 'read'));
    const rawLength = (req as Request & { rawBody?: string }).rawBody?.length ?? 0;
    if (rawLength > SEARCH_LIMITS.maxBody) {
      throw validationError(
        `The request body is ${rawLength} characters; search requests may be at most ${SEARCH_LIMITS.maxBody}.`,
      );
    }
    const body = objectBody(req.body);
    const request = parseSearch(body);
    const ids = matchingIds(ctx, type, request);
    const page = ids.slice(request.after, Math.min(request.after + request.limit, SEARCH_LIMITS.maxResults));
    const table = ctx.store.tables[type];
    const properties = request.properties ?? DEFAULT_SEARCH_PROPERTIES[type];
    const next = request.after + page.length;
    res.json({
      total: ids.length,
      results: page.map((id) => toPublicObject(ctx.store, table.byId.get(id)!, { properties })),
      ...(next < ids.length && page.length > 0 ? { paging: { next: { after: String(next) } } } : {}),
    });
  });
  return router;
}

type SearchRequest = {
  filterGroups: FilterGroup[];
  sorts: ReturnType<typeof parseSort>[];
  query?: string;
  properties?: string[];
  limit: number;
  after: number;
};

function parseSearch(body: Record<string, unknown>): SearchRequest {
  const groups = body.filterGroups ?? [];
  if (!Array.isArray(groups)) throw validationError('filterGroups must be an array');
  if (groups.length > SEARCH_LIMITS.maxGroups) {
    throw validationError(`Too many filter groups: ${groups.length}. The maximum is ${SEARCH_LIMITS.maxGroups}.`);
  }
  let total = 0;
  const filterGroups: FilterGroup[] = groups.map((g: unknown) => {
    const filters = (g as FilterGroup | null)?.filters;
    if (!Array.isArray(filters)) throw validationError('Each filter group needs a filters array');
    if (filters.length > SEARCH_LIMITS.maxFiltersPerGroup) {
      throw validationError(
        `Too many filters in a group: ${filters.length}. The maximum is ${SEARCH_LIMITS.maxFiltersPerGroup}.`,
      );
    }
    total += filters.length;
    return { filters };
  });
  if (total > SEARCH_LIMITS.maxFilters) {
    throw validationError(
      `Too many filters: ${total}. The maximum across all filter groups is ${SEARCH_LIMITS.maxFilters}.`,
    );
  }
  const rawSorts = body.sorts ?? [];
  if (!Array.isArray(rawSorts)) throw validationError('sorts must be an array');
  if (rawSorts.length > 1) throw validationError('Only one sort is supported per search.');
  const limit = body.limit ?? 10;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > SEARCH_LIMITS.maxLimit) {
    throw validationError(`limit must be an integer between 0 and ${SEARCH_LIMITS.maxLimit}`);
  }
  const rawAfter = body.after ?? '0';
  const afterText = typeof rawAfter === 'number' ? String(rawAfter) : rawAfter;
  if (typeof afterText !== 'string' || !/^\d+$/.test(afterText))
    throw validationError('after must be an integer string');
  const after = Number(afterText);
  if (after >= SEARCH_LIMITS.maxResults) {
    throw validationError(
      `Cannot page beyond ${SEARCH_LIMITS.maxResults} results: after=${after}. Narrow the query (for example by a time window) instead.`,
    );
  }
  if (body.query !== undefined && typeof body.query !== 'string') throw validationError('query must be a string');
  return {
    filterGroups,
    sorts: rawSorts.map(parseSort),
    ...(typeof body.query === 'string' && body.query.trim() !== '' ? { query: body.query.trim().toLowerCase() } : {}),
    ...(stringList(body.properties, 'properties') ? { properties: stringList(body.properties, 'properties')! } : {}),
    limit,
    after,
  };
}

/** Every matching id in result order; cached per query and table version so paging is cheap. */
function matchingIds(ctx: SandboxContext, type: CrmObjectType, request: SearchRequest): string[] {
  const table = ctx.store.tables[type];
  const key = `${type}|${table.version}|${JSON.stringify([request.filterGroups, request.sorts, request.query ?? null])}`;
  const cached = ctx.searchCache.get(key);
  if (cached) return cached;
  const definition = (name: string) => ctx.store.property(type, name);
  const match = compileFilterGroups(type, request.filterGroups, definition);
  const queryProps = QUERY_PROPERTIES[type];
  const matchesQuery = (o: StoredObject) =>
    request.query === undefined || queryProps.some((p) => o.properties.get(p)?.toLowerCase().includes(request.query!));
  const sort = request.sorts[0];
  const indexed =
    request.filterGroups.length === 1 && request.query === undefined
      ? ctx.sortedIndexes.query(
          table,
          request.filterGroups[0]!.filters,
          sort,
          sort && definition(sort.propertyName),
          match,
        )
      : null;
  let sorted = indexed;
  if (!sorted) {
    const hits: StoredObject[] = [];
    for (const object of table.all()) if (!object.archived && match(object) && matchesQuery(object)) hits.push(object);
    // table.all() is already in id order; only another order needs a sort.
    sorted = sort ? sortRecords(hits, sort, definition) : hits;
  }
  const ids = sorted.map((o) => o.id);
  ctx.searchCache.set(key, ids);
  return ids;
}

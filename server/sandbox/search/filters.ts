import type { CrmObjectType } from '../contracts.ts';
import { validationError } from '../errors.ts';
import type { StoredObject } from '../objects.ts';
import type { PropertyDefinition } from '../properties/definitions.ts';

/**
 * HubSpot search filters as predicates over stored records. Values compare by the property's type:
 * numbers numerically, date/datetime properties as instants (a filter value may be epoch milliseconds
 * or ISO 8601, the stored value ISO), everything else as case-insensitive text. A property the portal
 * does not define is compared by what its values look like.
 */
export type Filter = {
  propertyName: string;
  operator: string;
  value?: unknown;
  highValue?: unknown;
  values?: unknown[];
};
export type FilterGroup = { filters: Filter[] };
type Kind = 'number' | 'time' | 'text';

export const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}/;

function kindOf(def: PropertyDefinition | undefined, sample: string | undefined): Kind {
  if (def) {
    if (def.type === 'number') return 'number';
    if (def.type === 'date' || def.type === 'datetime') return 'time';
    return 'text';
  }
  if (sample !== undefined && NUMERIC.test(sample)) return 'number';
  if (sample !== undefined && ISO_LIKE.test(sample)) return 'time';
  return 'text';
}

/** An instant from a filter value or stored value: epoch milliseconds, ISO 8601 or YYYY-MM-DD. */
export function toInstant(value: string): number {
  if (/^-?\d+$/.test(value)) return Number(value);
  return Date.parse(value.length === 10 ? `${value}T00:00:00.000Z` : value);
}

function comparable(kind: Kind, value: string): number | string {
  if (kind === 'number') return Number(value);
  if (kind === 'time') return toInstant(value);
  return value.toLowerCase();
}

const defined = (k: number | string | undefined, test: (k: number | string) => boolean): boolean =>
  k !== undefined && test(k);

function highOf(filter: Filter, name: string, kind: Kind): number | string {
  if (filter.highValue === undefined) throw validationError(`BETWEEN on ${name} needs a highValue`);
  return comparable(kind, asString(filter.highValue, `highValue of ${name}`));
}

const asString = (v: unknown, what: string): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw validationError(`${what} must be a string`);
};

export function compileFilter(
  type: CrmObjectType,
  filter: Filter,
  definition: (name: string) => PropertyDefinition | undefined,
): (object: StoredObject) => boolean {
  const name = filter.propertyName;
  if (typeof name !== 'string' || name === '') throw validationError('Each filter needs a propertyName');
  const op = filter.operator;
  if (!(OPERATORS as readonly string[]).includes(op)) {
    throw validationError(`Unknown filter operator ${String(op)}; use one of ${OPERATORS.join(', ')}`);
  }
  const read = (o: StoredObject) => {
    const v = o.properties.get(name);
    return v === undefined || v === '' ? undefined : v;
  };
  if (op === 'HAS_PROPERTY') return (o) => read(o) !== undefined;
  if (op === 'NOT_HAS_PROPERTY') return (o) => read(o) === undefined;

  const def = definition(name);
  if (op === 'IN' || op === 'NOT_IN') {
    if (!Array.isArray(filter.values) || filter.values.length === 0)
      throw validationError(`${op} on ${name} needs a non-empty values array`);
    const raw = filter.values.map((v) => asString(v, `values of ${name}`));
    const kind = kindOf(def, raw[0]);
    const set = new Set(raw.map((v) => comparable(kind, v)));
    const hit = (o: StoredObject) => {
      const v = read(o);
      if (v === undefined) return false;
      return def?.fieldType === 'checkbox'
        ? v.split(';').some((p) => set.has(comparable(kind, p)))
        : set.has(comparable(kind, v));
    };
    return op === 'IN' ? hit : (o) => !hit(o);
  }
  if (filter.value === undefined) throw validationError(`${op} on ${name} needs a value`);
  const value = asString(filter.value, `value of ${name}`);
  if (op === 'CONTAINS_TOKEN' || op === 'NOT_CONTAINS_TOKEN') {
    const pattern = new RegExp(
      value.includes('*')
        ? `^${value
            .split('*')
            .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`
        : `(^|[^a-z0-9])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9])`,
      'i',
    );
    const hit = (o: StoredObject) => {
      const v = read(o);
      return v !== undefined && pattern.test(v);
    };
    return op === 'CONTAINS_TOKEN' ? hit : (o) => !hit(o);
  }
  const kind = kindOf(def, value);
  // A property the portal does not define may hold ISO times while the filter gives epoch milliseconds.
  const key = (v: string) => comparable(!def && kind === 'number' && ISO_LIKE.test(v) ? 'time' : kind, v);
  const low = comparable(kind, value);
  const high = op === 'BETWEEN' ? highOf(filter, name, kind) : undefined;
  const stored = (o: StoredObject): number | string | undefined => {
    const v = read(o);
    if (v === undefined) return undefined;
    const k = key(v);
    return typeof k === 'number' && Number.isNaN(k) ? undefined : k;
  };
  switch (op) {
    case 'EQ':
      return (o) => stored(o) === low;
    case 'NEQ':
      return (o) => stored(o) !== low;
    case 'LT':
      return (o) => defined(stored(o), (k) => k < low);
    case 'LTE':
      return (o) => defined(stored(o), (k) => k <= low);
    case 'GT':
      return (o) => defined(stored(o), (k) => k > low);
    case 'GTE':
      return (o) => defined(stored(o), (k) => k >= low);
    case 'BETWEEN':
      return (o) => defined(stored(o), (k) => k >= low && k <= high!);
  }
  throw validationError(`Unsupported operator ${op}`);
}

/** OR across groups, AND within a group; no groups matches everything. */
export function compileFilterGroups(
  type: CrmObjectType,
  groups: FilterGroup[],
  definition: (name: string) => PropertyDefinition | undefined,
): (object: StoredObject) => boolean {
  if (groups.length === 0) return () => true;
  const compiled = groups.map((g) => g.filters.map((f) => compileFilter(type, f, definition)));
  return (o) => compiled.some((filters) => filters.every((f) => f(o)));
}

export type Sort = { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' };

/** `sorts` entries as HubSpot takes them: `{propertyName, direction}` or a name with a leading `-` for descending. */
export function parseSort(raw: unknown): Sort {
  if (typeof raw === 'string' && raw !== '') {
    return raw.startsWith('-')
      ? { propertyName: raw.slice(1), direction: 'DESCENDING' }
      : { propertyName: raw, direction: 'ASCENDING' };
  }
  if (raw && typeof raw === 'object' && typeof (raw as Sort).propertyName === 'string') {
    const direction = (raw as Sort).direction ?? 'ASCENDING';
    if (direction !== 'ASCENDING' && direction !== 'DESCENDING')
      throw validationError('sort direction must be ASCENDING or DESCENDING');
    return { propertyName: (raw as Sort).propertyName, direction };
  }
  throw validationError('Each sort must be a property name or {propertyName, direction}');
}

/**
 * Orders records by one property (records without a value last), then by id so pages are stable. Keys
 * are computed once per record, not once per comparison: sorting a million records stays cheap.
 */
export function sortRecords(
  records: StoredObject[],
  sort: Sort | undefined,
  definition: (name: string) => PropertyDefinition | undefined,
): StoredObject[] {
  const descending = sort?.direction === 'DESCENDING';
  if (!sort || sort.propertyName === 'hs_object_id') {
    const byId = records.map((o) => ({ o, id: Number(o.id) })).sort((a, b) => (descending ? b.id - a.id : a.id - b.id));
    return byId.map((x) => x.o);
  }
  const def = definition(sort.propertyName);
  const sign = descending ? -1 : 1;
  const keyed = records.map((o) => {
    const v = o.properties.get(sort.propertyName);
    let k: number | string | undefined = v === undefined || v === '' ? undefined : comparable(kindOf(def, v), v);
    if (typeof k === 'number' && Number.isNaN(k)) k = undefined;
    return { o, k, id: Number(o.id) };
  });
  keyed.sort((a, b) => {
    if (a.k === undefined || b.k === undefined) return a.k === b.k ? a.id - b.id : a.k === undefined ? 1 : -1;
    if (a.k < b.k) return -sign;
    if (a.k > b.k) return sign;
    return a.id - b.id;
  });
  return keyed.map((x) => x.o);
}

import type { ObjectTable, StoredObject } from '../objects.ts';
import type { PropertyDefinition } from '../properties/definitions.ts';
import { toInstant, type Filter, type Sort } from './filters.ts';

/**
 * The incremental-sync query — a range on a number or date property, sorted ascending by it — served
 * from an index instead of a scan and a sort: the live records with a value, ordered by (value, id),
 * built once per table version. With a million records a sync window costs a binary search and a
 * slice, not a full scan and sort. `null` means "this query cannot use an index".
 */
type Index = { keys: Float64Array; objects: StoredObject[] };

const RANGE_OPERATORS = new Set(['EQ', 'GT', 'GTE', 'LT', 'LTE', 'BETWEEN']);

export class SortedIndexes {
  private readonly cache = new Map<string, Index>();
  private readonly capacity: number;

  constructor(capacity = 4) {
    this.capacity = capacity;
  }

  private index(table: ObjectTable, property: string, key: (o: StoredObject) => number): Index {
    const cacheKey = `${table.type}|${property}|${table.version}`;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    const rows: { k: number; id: number; o: StoredObject }[] = [];
    for (const o of table.all()) {
      if (o.archived) continue;
      const k = key(o);
      if (!Number.isNaN(k)) rows.push({ k, id: Number(o.id), o });
    }
    rows.sort((a, b) => a.k - b.k || a.id - b.id);
    const index = { keys: Float64Array.from(rows, (r) => r.k), objects: rows.map((r) => r.o) };
    for (const k of this.cache.keys()) if (k.startsWith(`${table.type}|${property}|`)) this.cache.delete(k);
    this.cache.set(cacheKey, index);
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return index;
  }

  /** Matching records in (value, id) order, or null when the query is not of the indexable shape. */
  query(
    table: ObjectTable,
    filters: Filter[],
    sort: Sort | undefined,
    definition: PropertyDefinition | undefined,
    matches: (o: StoredObject) => boolean,
  ): StoredObject[] | null {
    if (!sort || sort.direction !== 'ASCENDING') return null;
    const property = sort.propertyName;
    const numeric = property === 'hs_object_id' || definition?.type === 'number';
    const time = definition?.type === 'date' || definition?.type === 'datetime';
    if (!numeric && !time) return null;
    const parse = (v: unknown) =>
      typeof v !== 'string' && typeof v !== 'number' ? NaN : numeric ? Number(v) : toInstant(String(v));
    let lo = -Infinity;
    let hi = Infinity;
    let ranged = false;
    for (const f of filters) {
      if (f.propertyName !== property || !RANGE_OPERATORS.has(f.operator)) continue;
      const v = parse(f.value);
      if (Number.isNaN(v)) return null;
      ranged = true;
      if (f.operator === 'EQ' || f.operator === 'GT' || f.operator === 'GTE' || f.operator === 'BETWEEN')
        lo = Math.max(lo, v);
      if (f.operator === 'EQ' || f.operator === 'LT' || f.operator === 'LTE') hi = Math.min(hi, v);
      if (f.operator === 'BETWEEN') {
        const h = parse(f.highValue);
        if (Number.isNaN(h)) return null;
        hi = Math.min(hi, h);
      }
    }
    // Without a range on the sort property, records lacking a value could match and would have to come last.
    if (!ranged) return null;
    const key =
      property === 'hs_object_id'
        ? (o: StoredObject) => Number(o.id)
        : (o: StoredObject) => {
            const v = o.properties.get(property);
            return v === undefined || v === '' ? NaN : parse(v);
          };
    const { keys, objects } = this.index(table, property, key);
    const out: StoredObject[] = [];
    for (let i = lowerBound(keys, lo); i < keys.length && keys[i]! <= hi; i++) {
      if (matches(objects[i]!)) out.push(objects[i]!);
    }
    return out;
  }
}

function lowerBound(keys: Float64Array, value: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

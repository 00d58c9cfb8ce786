import type { Definitions } from './schema.ts';

/**
 * The structural difference between two definitions versions, for the change log. Paths are for
 * people: arrays of things with an identity are keyed by it (`requiredFields[deal/proposal/clr_sla_scope]`,
 * `picklists[channel].options[paid_search].label`, `slas[deal_stall]`), so inserting one item does
 * not shift every later index into a change. A reordering of keyed items is one `changed` entry on
 * the array, with the keys before and after.
 */
export type DefinitionsChange = {
  path: string;
  change: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
};

type Segment = { property: string } | { key: string };

export function diffDefinitions(before: Definitions, after: Definitions): DefinitionsChange[] {
  const changes: DefinitionsChange[] = [];
  diffValue(before, after, [], changes);
  return changes;
}

function diffValue(before: unknown, after: unknown, path: Segment[], out: DefinitionsChange[]): void {
  if (deepEqual(before, after)) return;
  if (Array.isArray(before) && Array.isArray(after)) return diffArray(before, after, path, out);
  if (isRecord(before) && isRecord(after)) return diffRecord(before, after, path, out);
  out.push({ path: formatSegments(path), change: 'changed', before, after });
}

function diffRecord(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  path: Segment[],
  out: DefinitionsChange[],
): void {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const key of keys) {
    const at = [...path, { property: key }];
    const [b, a] = [before[key], after[key]];
    if (b === undefined && a !== undefined) out.push({ path: formatSegments(at), change: 'added', after: a });
    else if (a === undefined && b !== undefined) out.push({ path: formatSegments(at), change: 'removed', before: b });
    else diffValue(b, a, at, out);
  }
}

function diffArray(before: unknown[], after: unknown[], path: Segment[], out: DefinitionsChange[]): void {
  const beforeKeys = keysOf(before);
  const afterKeys = keysOf(after);
  if (beforeKeys === undefined || afterKeys === undefined) {
    out.push({ path: formatSegments(path), change: 'changed', before, after });
    return;
  }
  const afterIndex = new Map(afterKeys.map((key, i) => [key, i]));
  const beforeIndex = new Map(beforeKeys.map((key, i) => [key, i]));
  beforeKeys.forEach((key, i) => {
    const at = [...path, { key }];
    const j = afterIndex.get(key);
    if (j === undefined) out.push({ path: formatSegments(at), change: 'removed', before: before[i] });
    else diffValue(before[i], after[j], at, out);
  });
  afterKeys.forEach((key, j) => {
    if (!beforeIndex.has(key)) out.push({ path: formatSegments([...path, { key }]), change: 'added', after: after[j] });
  });
  const kept = (keys: string[], other: Map<string, number>) => keys.filter((key) => other.has(key));
  const [keptBefore, keptAfter] = [kept(beforeKeys, afterIndex), kept(afterKeys, beforeIndex)];
  if (!deepEqual(keptBefore, keptAfter))
    out.push({ path: formatSegments(path), change: 'changed', before: beforeKeys, after: afterKeys });
}

/**
 * The identity of each item, when every item has one and they are unique: required-field rows by
 * object/stage/field, things with an id, name or value by that, and plain strings by themselves (sets
 * such as a property's objects). Anything else (the stage order's chains) compares as a whole.
 */
function keysOf(items: unknown[]): string[] | undefined {
  const keys: string[] = [];
  for (const item of items) {
    const key = identityOf(item);
    if (key === undefined) return undefined;
    keys.push(key);
  }
  return new Set(keys).size === keys.length ? keys : undefined;
}

function identityOf(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (!isRecord(item)) return undefined;
  if (typeof item.object === 'string' && typeof item.stage === 'string' && 'applies' in item) {
    if (typeof item.field === 'string') return `${item.object}/${item.stage}/${item.field}`;
    if (typeof item.checklist === 'string') return `${item.object}/${item.stage}/checklist:${item.checklist}`;
  }
  for (const field of ['id', 'name', 'value'] as const) {
    const value = item[field];
    if (typeof value === 'string') return value;
    // A pipeline mapping of an object without pipelines (contacts) has the id null.
    if (field === 'id' && value === null) return 'null';
  }
  return undefined;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function formatSegments(path: readonly Segment[]): string {
  return path
    .map((segment, i) => {
      if ('key' in segment) return `[${segment.key}]`;
      if (IDENTIFIER.test(segment.property)) return i === 0 ? segment.property : `.${segment.property}`;
      return `[${JSON.stringify(segment.property)}]`;
    })
    .join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Equality of JSON-like values; a key holding undefined counts as absent, as in the exported document. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}

import type { CrmObjectType } from './contracts.ts';
import type { HistoryEntry, StoredObject } from './objects.ts';
import { LAST_MODIFIED_PROPERTY } from './properties/definitions.ts';
import { synthesisedEntry, type PortalStore } from './store.ts';

/**
 * A stored record as HubSpot's `SimplePublicObject`: requested properties (null when the portal knows
 * the property but the record has no value, left out when the property does not exist), the three
 * properties HubSpot always adds, history newest first, and v3 association ids when asked.
 */
export type ReadShape = {
  properties: string[];
  propertiesWithHistory?: string[];
  associations?: CrmObjectType[];
};

export const iso = (ms: number): string => new Date(ms).toISOString();

const ALWAYS = (type: CrmObjectType) => ['createdate', 'hs_object_id', LAST_MODIFIED_PROPERTY[type]];

export function publicProperties(
  store: PortalStore,
  object: StoredObject,
  names: string[],
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const wanted = new Set([...names, ...ALWAYS(object.type)]);
  for (const name of [...wanted].sort()) {
    const value = object.properties.get(name);
    if (value !== undefined) out[name] = value;
    else if (store.property(object.type, name)) out[name] = null;
  }
  return out;
}

export function publicHistory(entry: HistoryEntry): Record<string, unknown> {
  return {
    value: entry.value,
    timestamp: iso(entry.timestamp),
    sourceType: entry.sourceType,
    ...(entry.sourceId === undefined ? {} : { sourceId: entry.sourceId }),
    ...(entry.sourceLabel === undefined ? {} : { sourceLabel: entry.sourceLabel }),
    ...(entry.updatedByUserId === undefined ? {} : { updatedByUserId: entry.updatedByUserId }),
  };
}

export function historyOf(object: StoredObject, name: string): HistoryEntry[] {
  const stored = object.history.get(name);
  if (stored) return stored;
  const value = object.properties.get(name);
  return value === undefined ? [] : [synthesisedEntry(object, name, value)];
}

export function toPublicObject(store: PortalStore, object: StoredObject, shape: ReadShape): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: object.id,
    properties: publicProperties(store, object, shape.properties),
  };
  if (shape.propertiesWithHistory && shape.propertiesWithHistory.length > 0) {
    const history: Record<string, unknown[]> = {};
    for (const name of [...new Set(shape.propertiesWithHistory)].sort()) {
      const entries = historyOf(object, name);
      if (entries.length > 0) history[name] = entries.map(publicHistory);
    }
    out.propertiesWithHistory = history;
  }
  out.createdAt = iso(object.createdAt);
  out.updatedAt = iso(object.updatedAt);
  out.archived = object.archived;
  if (object.archivedAt !== undefined) out.archivedAt = iso(object.archivedAt);
  if (shape.associations && shape.associations.length > 0) {
    const associations: Record<string, unknown> = {};
    for (const toType of shape.associations) {
      const results = store.associations
        .idsOf(object.type, object.id, toType)
        .flatMap((toId) =>
          store.associations.v3TypesOf(object.type, object.id, toType, toId).map((type) => ({ id: toId, type })),
        );
      if (results.length > 0) associations[toType] = { results };
    }
    if (Object.keys(associations).length > 0) out.associations = associations;
  }
  return out;
}

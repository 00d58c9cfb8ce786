import type { CrmObjectType } from './contracts.ts';
import {
  FIXTURE_FORMAT,
  OBJECT_TYPES,
  type Fixture,
  type FixturePropertyDefinition,
  type FixturePropertyGroup,
} from './fixture.ts';
import type { HistoryEntry, StoredObject } from './objects.ts';
import type { PropertyDefinition, PropertyGroupDefinition } from './properties/definitions.ts';
import type { PortalStore } from './store.ts';

/**
 * The portal's current state in the fixture format, so a run's result can be inspected or loaded again.
 * Deterministic: records by id, property names sorted, associations in a canonical order, custom
 * properties and groups by name; the same state always gives the same bytes.
 */
export function exportFixture(store: PortalStore): Fixture {
  const objects: Fixture['objects'] = {};
  const properties: NonNullable<Fixture['properties']> = {};
  const propertyGroups: NonNullable<Fixture['propertyGroups']> = {};
  for (const type of OBJECT_TYPES) {
    objects[type] = [...store.tables[type].all()].map(exportObject);
    properties[type] = store.properties[type].custom().map(exportProperty);
    propertyGroups[type] = store.properties[type].customGroups().map(exportGroup);
  }
  return {
    format: FIXTURE_FORMAT,
    portalId: store.portalId,
    now: new Date(store.fixtureNow).toISOString(),
    owners: store.owners,
    pipelines: store.pipelines,
    objects,
    properties,
    propertyGroups,
    associations: store.associations.all(),
    events: store.events.map(({ occurredAtMs: _ms, ...event }) => event),
    ...(store.ingest === undefined ? {} : { ingest: store.ingest }),
  };
}

export const exportFixtureJson = (store: PortalStore): string => `${JSON.stringify(exportFixture(store), null, 2)}\n`;

const iso = (ms: number) => new Date(ms).toISOString();
const sortedEntries = <T>(map: ReadonlyMap<string, T>): [string, T][] =>
  [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function exportObject(object: StoredObject): NonNullable<Fixture['objects'][CrmObjectType]>[number] {
  const history = sortedEntries(object.history);
  return {
    id: object.id,
    createdAt: iso(object.createdAt),
    updatedAt: iso(object.updatedAt),
    archived: object.archived,
    ...(object.archivedAt === undefined ? {} : { archivedAt: iso(object.archivedAt) }),
    properties: Object.fromEntries(sortedEntries(object.properties)),
    ...(history.length === 0
      ? {}
      : {
          propertiesWithHistory: Object.fromEntries(
            history.map(([name, entries]) => [name, entries.map(exportHistory)]),
          ),
        }),
  };
}

function exportHistory(entry: HistoryEntry) {
  return {
    value: entry.value,
    timestamp: iso(entry.timestamp),
    sourceType: entry.sourceType,
    ...(entry.sourceId === undefined ? {} : { sourceId: entry.sourceId }),
    ...(entry.sourceLabel === undefined ? {} : { sourceLabel: entry.sourceLabel }),
    ...(entry.updatedByUserId === undefined ? {} : { updatedByUserId: entry.updatedByUserId }),
  };
}

function exportProperty(def: PropertyDefinition): FixturePropertyDefinition {
  return {
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType as FixturePropertyDefinition['fieldType'],
    groupName: def.groupName,
    ...(def.description === '' ? {} : { description: def.description }),
    ...(def.options.length === 0 && def.type !== 'enumeration' ? {} : { options: def.options }),
    ...(def.displayOrder === -1 ? {} : { displayOrder: def.displayOrder }),
    ...(def.hidden ? { hidden: true } : {}),
    ...(def.formField ? { formField: true } : {}),
    ...(def.hasUniqueValue ? { hasUniqueValue: true } : {}),
    ...(def.calculationFormula === undefined ? {} : { calculationFormula: def.calculationFormula }),
    ...(def.externalOptions ? { externalOptions: true } : {}),
    ...(def.referencedObjectType === undefined ? {} : { referencedObjectType: def.referencedObjectType }),
    ...(def.createdAt === undefined ? {} : { createdAt: iso(def.createdAt) }),
    ...(def.updatedAt === undefined ? {} : { updatedAt: iso(def.updatedAt) }),
    ...(def.archived ? { archived: true } : {}),
  };
}

function exportGroup(group: PropertyGroupDefinition): FixturePropertyGroup {
  return {
    name: group.name,
    label: group.label,
    ...(group.displayOrder === -1 ? {} : { displayOrder: group.displayOrder }),
    ...(group.archived ? { archived: true } : {}),
  };
}

import { AssociationStore } from './associations.ts';
import { createClock, type Clock } from './clock.ts';
import type { ChangeSource, CrmObjectType, SandboxChange, SandboxChangeListener } from './contracts.ts';
import {
  OBJECT_TYPES,
  type Fixture,
  type FixtureEvent,
  type FixtureOwner,
  type FixturePipeline,
  type FixturePropertyDefinition,
  type FixturePropertyGroup,
} from './fixture.ts';
import { NO_HISTORY, ObjectTable, ownHistory, type HistoryEntry, type StoredObject } from './objects.ts';
import {
  LAST_MODIFIED_PROPERTY,
  type PropertyDefinition,
  type PropertyGroupDefinition,
} from './properties/definitions.ts';
import type { BuiltinContext } from './properties/builtins.ts';
import { PropertyRegistry } from './properties/registry.ts';

/**
 * One portal in memory: its records, associations, owners, pipelines, property definitions and events.
 * Every change goes through a method here, which stamps times from the injected clock, keeps property
 * history, and then tells the `onChange` listeners (the webhook deliverer) with SandboxChange values.
 */

export type StoredEvent = FixtureEvent & { occurredAtMs: number };

export type StoreOptions = { clock?: Clock };

export class PortalStore {
  readonly portalId: number;
  /** The instant the fixture was made for (its `now`). */
  readonly fixtureNow: number;
  readonly clock: Clock;
  readonly owners: FixtureOwner[];
  readonly pipelines: { deals: FixturePipeline[]; tickets: FixturePipeline[] };
  readonly tables: Readonly<Record<CrmObjectType, ObjectTable>>;
  readonly properties: Record<CrmObjectType, PropertyRegistry>;
  readonly associations = new AssociationStore();
  readonly events: StoredEvent[];
  readonly ingest: unknown;
  private readonly listeners = new Set<SandboxChangeListener>();
  private readonly builtinContext: BuiltinContext;
  private readonly emailIndex = new Map<string, string>();
  private lastId: number;
  private eventsSorted: StoredEvent[] | undefined;

  constructor(fixture: Fixture, options: StoreOptions = {}) {
    this.portalId = fixture.portalId;
    this.fixtureNow = Date.parse(fixture.now);
    this.clock = options.clock ?? createClock();
    this.owners = fixture.owners;
    this.pipelines = { deals: fixture.pipelines.deals ?? [], tickets: fixture.pipelines.tickets ?? [] };
    this.ingest = fixture.ingest;
    const ctx = { owners: this.owners, dealPipelines: this.pipelines.deals, ticketPipelines: this.pipelines.tickets };
    this.builtinContext = ctx;
    this.properties = {
      contacts: new PropertyRegistry('contacts', ctx),
      companies: new PropertyRegistry('companies', ctx),
      deals: new PropertyRegistry('deals', ctx),
      tickets: new PropertyRegistry('tickets', ctx),
    };
    for (const type of OBJECT_TYPES) {
      for (const group of fixture.propertyGroups?.[type] ?? []) this.properties[type].addGroup(groupFromFixture(group));
      for (const def of fixture.properties?.[type] ?? []) this.properties[type].add(propertyFromFixture(def));
    }
    this.tables = {
      contacts: new ObjectTable('contacts'),
      companies: new ObjectTable('companies'),
      deals: new ObjectTable('deals'),
      tickets: new ObjectTable('tickets'),
    };
    let maxId = 0;
    for (const type of OBJECT_TYPES) {
      for (const o of fixture.objects[type] ?? []) {
        const createdAt = Date.parse(o.createdAt);
        const updatedAt = Date.parse(o.updatedAt);
        const properties = new Map<string, string>();
        for (const name in o.properties) properties.set(name, o.properties[name]!);
        // HubSpot's default properties, derived from the record when the fixture leaves them out.
        if (!properties.has('hs_object_id')) properties.set('hs_object_id', o.id);
        if (!properties.has('createdate')) properties.set('createdate', new Date(createdAt).toISOString());
        if (!properties.has(LAST_MODIFIED_PROPERTY[type])) {
          properties.set(LAST_MODIFIED_PROPERTY[type], new Date(updatedAt).toISOString());
        }
        let history: ReadonlyMap<string, HistoryEntry[]> = NO_HISTORY;
        if (o.propertiesWithHistory) {
          const own = new Map<string, HistoryEntry[]>();
          for (const name in o.propertiesWithHistory) {
            own.set(
              name,
              o.propertiesWithHistory[name]!.map((e) => ({ ...e, timestamp: Date.parse(e.timestamp) })),
            );
          }
          history = own;
        }
        const object: StoredObject = {
          id: o.id,
          type,
          createdAt,
          updatedAt,
          archived: o.archived,
          properties,
          history,
        };
        if (o.archivedAt !== undefined) object.archivedAt = Date.parse(o.archivedAt);
        this.tables[type].insert(object);
        if (type === 'contacts') this.indexEmail(object);
        const n = Number(o.id);
        if (n > maxId) maxId = n;
      }
    }
    this.lastId = maxId;
    for (const a of fixture.associations) this.associations.add(a.from.type, a.from.id, a.to.type, a.to.id);
    this.events = fixture.events.map((e) => ({ ...e, occurredAtMs: Date.parse(e.occurredAt) }));
  }

  // ---- change notification -------------------------------------------------------------------------

  /** Calls `listener` with every change once it is applied; returns the function that stops it. */
  onChange(listener: SandboxChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: SandboxChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        console.error('sandbox: a change listener threw', error);
      }
    }
  }

  // ---- reads ----------------------------------------------------------------------------------------

  get(type: CrmObjectType, id: string): StoredObject | undefined {
    return this.tables[type].resolve(id);
  }

  findContactByEmail(email: string): StoredObject | undefined {
    const id = this.emailIndex.get(email.trim().toLowerCase());
    return id === undefined ? undefined : this.tables.contacts.byId.get(id);
  }

  property(type: CrmObjectType, name: string): PropertyDefinition | undefined {
    return this.properties[type].get(name);
  }

  /** Events sorted by time then id, for the events API. */
  sortedEvents(): StoredEvent[] {
    this.eventsSorted ??= [...this.events].sort((a, b) => a.occurredAtMs - b.occurredAtMs || a.id.localeCompare(b.id));
    return this.eventsSorted;
  }

  // ---- writes ---------------------------------------------------------------------------------------

  private indexEmail(object: StoredObject): void {
    const email = object.properties.get('email');
    if (email) this.emailIndex.set(email.trim().toLowerCase(), object.id);
  }

  private touch(type: CrmObjectType): void {
    this.tables[type].version++;
  }

  /**
   * Sets already-validated values on a record. Only values that differ are written: each gets a history
   * entry from `source`, the record's updatedAt and last-modified property move to now, and a
   * propertyChange is emitted. Stage moves also stamp HubSpot's stage-entered/exited dates.
   * Returns the names that changed.
   */
  update(
    type: CrmObjectType,
    id: string,
    values: Record<string, string>,
    source: ChangeSource & { sourceLabel?: string },
  ): string[] {
    const object = this.get(type, id);
    if (!object) throw new Error(`no ${type} ${id}`);
    const at = this.clock.now();
    const changed: string[] = [];
    const set = (name: string, value: string) => {
      if (object.properties.get(name) === value || (value === '' && !object.properties.has(name))) return;
      this.recordHistory(object, name, value, at, source);
      if (value === '') object.properties.delete(name);
      else object.properties.set(name, value);
      changed.push(name);
    };
    const before = new Map(object.properties);
    for (const [name, value] of Object.entries(values)) set(name, value);
    for (const [name, value] of Object.entries(stageDates(type, before, object.properties, at))) {
      if (!(name in values)) set(name, value);
    }
    if (changed.length === 0) return changed;
    object.updatedAt = at;
    object.properties.set(LAST_MODIFIED_PROPERTY[type], new Date(at).toISOString());
    if (type === 'contacts' && changed.includes('email')) {
      const old = before.get('email');
      if (old) this.emailIndex.delete(old.trim().toLowerCase());
      this.indexEmail(object);
    }
    this.touch(type);
    for (const name of changed) {
      this.emit({
        kind: 'propertyChange',
        objectType: type,
        objectId: object.id,
        propertyName: name,
        propertyValue: object.properties.get(name) ?? '',
        occurredAt: at,
        source: {
          changeSource: source.changeSource,
          ...(source.sourceId === undefined ? {} : { sourceId: source.sourceId }),
        },
      });
    }
    return changed;
  }

  private recordHistory(
    object: StoredObject,
    name: string,
    value: string,
    at: number,
    source: ChangeSource & { sourceLabel?: string },
  ) {
    let entries = object.history.get(name);
    if (!entries) {
      entries = [];
      const previous = object.properties.get(name);
      // Keep the value being replaced in the history, as HubSpot would have it.
      if (previous !== undefined) entries.push(synthesisedEntry(object, name, previous));
      ownHistory(object).set(name, entries);
    }
    entries.unshift({
      value,
      timestamp: at,
      sourceType: source.changeSource,
      ...(source.sourceId === undefined ? {} : { sourceId: source.sourceId }),
      ...(source.sourceLabel === undefined ? {} : { sourceLabel: source.sourceLabel }),
    });
  }

  nextId(): string {
    return String(++this.lastId);
  }

  /** Creates a record from validated values; emits creation then one propertyChange per value. */
  create(
    type: CrmObjectType,
    values: Record<string, string>,
    source: ChangeSource & { sourceLabel?: string },
  ): StoredObject {
    const at = this.clock.now();
    const id = this.nextId();
    const object: StoredObject = {
      id,
      type,
      createdAt: at,
      updatedAt: at,
      archived: false,
      properties: new Map(),
      history: NO_HISTORY,
    };
    const stamped: Record<string, string> = {
      ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')),
      hs_object_id: id,
      createdate: values.createdate || new Date(at).toISOString(),
      [LAST_MODIFIED_PROPERTY[type]]: new Date(at).toISOString(),
      ...stageDates(type, new Map(), new Map(Object.entries(values)), at),
    };
    for (const [name, value] of Object.entries(stamped).sort(([a], [b]) => a.localeCompare(b))) {
      object.properties.set(name, value);
      ownHistory(object).set(name, [
        {
          value,
          timestamp: at,
          sourceType: source.changeSource,
          ...(source.sourceId === undefined ? {} : { sourceId: source.sourceId }),
        },
      ]);
    }
    this.tables[type].insert(object);
    if (type === 'contacts') this.indexEmail(object);
    const changeSource = {
      changeSource: source.changeSource,
      ...(source.sourceId === undefined ? {} : { sourceId: source.sourceId }),
    };
    this.emit({ kind: 'creation', objectType: type, objectId: id, occurredAt: at, source: changeSource });
    for (const name of Object.keys(values).filter((n) => values[n] !== '')) {
      this.emit({
        kind: 'propertyChange',
        objectType: type,
        objectId: id,
        propertyName: name,
        propertyValue: object.properties.get(name) ?? '',
        occurredAt: at,
        source: changeSource,
      });
    }
    return object;
  }

  /** Moves a record to the recycle bin (HubSpot's archive); emits deletion. */
  archive(type: CrmObjectType, id: string, source: ChangeSource): boolean {
    const object = this.get(type, id);
    if (!object || object.archived) return false;
    const at = this.clock.now();
    object.archived = true;
    object.archivedAt = at;
    object.updatedAt = at;
    if (type === 'contacts') {
      const email = object.properties.get('email');
      if (email && this.emailIndex.get(email.trim().toLowerCase()) === object.id)
        this.emailIndex.delete(email.trim().toLowerCase());
    }
    this.touch(type);
    this.emit({ kind: 'deletion', objectType: type, objectId: object.id, occurredAt: at, source });
    return true;
  }

  /**
   * Brings a record back from the recycle bin (a user's restore in HubSpot's UI; HubSpot's API has no
   * restore): live again under its id with its values, history and associations, none of which the
   * deletion touched; emits restore. A contact whose email another live contact now has can't be
   * restored (HubSpot's "Restore deleted records" help) and gives 'email-taken'. Unverified: that the
   * record comes back as it was, its `updatedAt` and last-modified date those from before its deletion
   * (no property changes, and HubSpot documents no new payload fields for restore events), so neither
   * the last-modified search nor the "never older" rule can be relied on to bring it back.
   */
  restore(type: CrmObjectType, id: string, source: ChangeSource): 'restored' | 'not-archived' | 'email-taken' {
    const object = this.tables[type].byId.get(id);
    if (!object?.archived) return 'not-archived';
    const email = type === 'contacts' ? object.properties.get('email')?.trim().toLowerCase() : undefined;
    if (email && this.emailIndex.has(email) && this.emailIndex.get(email) !== object.id) return 'email-taken';
    const at = this.clock.now();
    object.archived = false;
    delete object.archivedAt;
    const lastModified = Date.parse(object.properties.get(LAST_MODIFIED_PROPERTY[type]) ?? '');
    object.updatedAt = Number.isNaN(lastModified) ? object.updatedAt : lastModified;
    if (type === 'contacts') this.indexEmail(object);
    this.touch(type);
    this.emit({ kind: 'restore', objectType: type, objectId: object.id, occurredAt: at, source });
    return 'restored';
  }

  /** Associates two records (if not already); emits associationChange. */
  associate(
    fromType: CrmObjectType,
    fromId: string,
    toType: CrmObjectType,
    toId: string,
    source: ChangeSource,
    primary?: boolean,
  ): boolean {
    if (!this.associations.add(fromType, fromId, toType, toId, primary)) return false;
    this.touch(fromType);
    this.touch(toType);
    this.emit({
      kind: 'associationChange',
      fromObjectType: fromType,
      fromObjectId: fromId,
      toObjectType: toType,
      toObjectId: toId,
      associationRemoved: false,
      occurredAt: this.clock.now(),
      source,
    });
    return true;
  }

  /**
   * Sets or clears the "Primary" label of an existing association between a record and a company (the
   * association stays either way); a record's previous primary company loses the label. Emits an
   * associationChange per edge whose label changed, flagged `primary`, with `associationRemoved` when
   * the label went. Returns whether anything changed.
   */
  labelPrimary(
    fromType: CrmObjectType,
    fromId: string,
    toType: CrmObjectType,
    toId: string,
    primary: boolean,
    source: ChangeSource,
  ): boolean {
    const result = this.associations.setPrimary(fromType, fromId, toType, toId, primary);
    if (!result.changed) return false;
    this.touch(fromType);
    this.touch(toType);
    const occurredAt = this.clock.now();
    if (result.demoted !== undefined && result.record)
      this.emit({
        kind: 'associationChange',
        fromObjectType: result.record.type,
        fromObjectId: result.record.id,
        toObjectType: 'companies',
        toObjectId: result.demoted,
        associationRemoved: true,
        primary: true,
        occurredAt,
        source,
      });
    this.emit({
      kind: 'associationChange',
      fromObjectType: fromType,
      fromObjectId: fromId,
      toObjectType: toType,
      toObjectId: toId,
      associationRemoved: !primary,
      primary: true,
      occurredAt,
      source,
    });
    return true;
  }

  dissociate(
    fromType: CrmObjectType,
    fromId: string,
    toType: CrmObjectType,
    toId: string,
    source: ChangeSource,
  ): boolean {
    if (!this.associations.remove(fromType, fromId, toType, toId)) return false;
    this.touch(fromType);
    this.touch(toType);
    this.emit({
      kind: 'associationChange',
      fromObjectType: fromType,
      fromObjectId: fromId,
      toObjectType: toType,
      toObjectId: toId,
      associationRemoved: true,
      occurredAt: this.clock.now(),
      source,
    });
    return true;
  }

  /**
   * Merges two records as HubSpot does since its 2024 merge change (the behaviour deals and tickets
   * always had): a new record with a new id takes both. Its values are the primary's, the other's
   * where the primary has none; each property's history is both histories (on an equal timestamp the
   * primary's entry wins), plus an entry at the merge when the kept value is not the newest one; its
   * create date is the older one. Associations move to it (the primary's first). Both old ids leave the
   * listings (live and archived) and resolve to the new record from then on; `hs_merged_object_ids`
   * lists every id merged into it, earlier merges included. Emits `merge` with the new id.
   */
  merge(type: CrmObjectType, primaryId: string, mergedId: string, source: ChangeSource): StoredObject {
    const primary = this.get(type, primaryId)!;
    const merged = this.get(type, mergedId)!;
    const at = this.clock.now();
    const older = merged.createdAt < primary.createdAt ? merged : primary;
    const id = this.nextId();
    const result: StoredObject = {
      id,
      type,
      createdAt: older.createdAt,
      updatedAt: at,
      archived: false,
      properties: new Map(),
      history: new Map(),
    };
    const history = ownHistory(result);
    const mergedIds = [
      ...new Set([...mergedIdsOf(primary), ...mergedIdsOf(merged), primary.id, merged.id].filter(Boolean)),
    ].sort((a, b) => Number(a) - Number(b));
    // HubSpot's own bookkeeping properties describe the new record, not either of the old ones.
    const stamped: Record<string, string> = {
      hs_object_id: id,
      hs_merged_object_ids: mergedIds.join(';'),
      [LAST_MODIFIED_PROPERTY[type]]: new Date(at).toISOString(),
    };
    const names = new Set([...merged.properties.keys(), ...primary.properties.keys()]);
    let moved = 0;
    for (const name of [...names].sort()) {
      if (name in stamped) continue;
      if (name === 'createdate') {
        const created = older.properties.get(name) ?? new Date(older.createdAt).toISOString();
        result.properties.set(name, created);
        history.set(name, entriesOf(older, name));
        continue;
      }
      const own = primary.properties.get(name);
      const other = merged.properties.get(name);
      const value = own !== undefined && own !== '' ? own : (other ?? own!);
      if (value !== own) moved++;
      result.properties.set(name, value);
      const entries = mergedHistory(entriesOf(primary, name), entriesOf(merged, name));
      if (entries[0]?.value !== value) entries.unshift({ value, timestamp: at, sourceType: source.changeSource });
      history.set(name, entries);
    }
    for (const [name, value] of Object.entries(stamped)) {
      result.properties.set(name, value);
      history.set(name, [{ value, timestamp: at, sourceType: source.changeSource }]);
    }
    const table = this.tables[type];
    table.insert(result);
    this.associations.moveAll(type, primary.id, id);
    this.associations.moveAll(type, merged.id, id);
    for (const old of [primary, merged]) {
      table.remove(old.id);
      table.aliases.set(old.id, id);
    }
    if (type === 'contacts') {
      for (const old of [merged, primary]) {
        const email = old.properties.get('email')?.trim().toLowerCase();
        if (email && this.emailIndex.get(email) === old.id) this.emailIndex.set(email, id);
      }
    }
    this.emit({
      kind: 'merge',
      objectType: type,
      primaryObjectId: primary.id,
      mergedObjectIds: [merged.id],
      newObjectId: id,
      numberOfPropertiesMoved: moved,
      occurredAt: at,
      source,
    });
    return result;
  }

  /** Records events (a visitor's page view, a form submission…) as HubSpot's events API will list them. */
  addEvents(events: readonly FixtureEvent[]): void {
    for (const e of events) this.events.push({ ...e, occurredAtMs: Date.parse(e.occurredAt) });
    this.eventsSorted = undefined;
  }

  /** Adds an owner or replaces the one with its id (a user added or renamed in the portal's settings). */
  putOwner(owner: FixtureOwner): void {
    const at = this.owners.findIndex((o) => o.id === owner.id);
    if (at === -1) this.owners.push(owner);
    else this.owners[at] = owner;
    this.refreshBuiltins();
  }

  /** Adds a pipeline or replaces the one with its id (an admin's edit of the pipeline settings). */
  putPipeline(type: 'deals' | 'tickets', pipeline: FixturePipeline): void {
    const list = this.pipelines[type];
    const at = list.findIndex((p) => p.id === pipeline.id);
    if (at === -1) list.push(pipeline);
    else list[at] = pipeline;
    this.refreshBuiltins();
  }

  /** Owner and stage options of HubSpot's own properties follow the owners and pipelines. */
  private refreshBuiltins(): void {
    for (const type of OBJECT_TYPES) this.properties[type].refreshBuiltins(this.builtinContext);
  }

  addProperty(type: CrmObjectType, def: PropertyDefinition): void {
    this.properties[type].add(def);
  }

  addPropertyGroup(type: CrmObjectType, group: PropertyGroupDefinition): void {
    this.properties[type].addGroup(group);
  }
}

/** A record's history of one property, as a read would show it (synthesised when it has none of its own). */
function entriesOf(object: StoredObject, name: string): HistoryEntry[] {
  const own = object.history.get(name);
  if (own) return own;
  const value = object.properties.get(name);
  return value === undefined ? [] : [synthesisedEntry(object, name, value)];
}

/** Two histories as one, newest first; an entry of the other record at the primary's timestamp is dropped. */
function mergedHistory(primary: readonly HistoryEntry[], other: readonly HistoryEntry[]): HistoryEntry[] {
  const taken = new Set(primary.map((e) => e.timestamp));
  return [...primary, ...other.filter((e) => !taken.has(e.timestamp))].sort((a, b) => b.timestamp - a.timestamp);
}

const mergedIdsOf = (object: StoredObject): string[] =>
  (object.properties.get('hs_merged_object_ids') ?? '').split(';').filter(Boolean);

/** The one history entry HubSpot would show for a value the fixture gave without history. */
export function synthesisedEntry(object: StoredObject, name: string, value: string): HistoryEntry {
  const lastModified = name === 'lastmodifieddate' || name === 'hs_lastmodifieddate';
  return { value, timestamp: lastModified ? object.updatedAt : object.createdAt, sourceType: 'IMPORT' };
}

const STAGE_PROPERTY: Partial<Record<CrmObjectType, string>> = {
  contacts: 'lifecyclestage',
  companies: 'lifecyclestage',
  deals: 'dealstage',
  tickets: 'hs_pipeline_stage',
};

/** The calculated stage dates HubSpot stamps when a record enters (and leaves) a stage. */
function stageDates(
  type: CrmObjectType,
  before: Map<string, string>,
  after: Map<string, string>,
  at: number,
): Record<string, string> {
  const property = STAGE_PROPERTY[type];
  if (!property) return {};
  const from = before.get(property);
  const to = after.get(property);
  if (!to || from === to) return {};
  const iso = new Date(at).toISOString();
  const out: Record<string, string> = { [`hs_v2_date_entered_${to}`]: iso };
  if (from) out[`hs_v2_date_exited_${from}`] = iso;
  if (type === 'deals' || type === 'tickets') {
    out[`hs_date_entered_${to}`] = iso;
    if (from && type === 'deals') out[`hs_date_exited_${from}`] = iso;
  } else if (!after.get(`hs_lifecyclestage_${to}_date`)) {
    out[`hs_lifecyclestage_${to}_date`] = iso;
  }
  return out;
}

function propertyFromFixture(def: FixturePropertyDefinition): PropertyDefinition {
  return {
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    groupName: def.groupName,
    description: def.description ?? '',
    options: def.options ?? [],
    displayOrder: def.displayOrder ?? -1,
    hidden: def.hidden ?? false,
    formField: def.formField ?? false,
    hasUniqueValue: def.hasUniqueValue ?? false,
    calculated: def.fieldType === 'calculation_equation',
    externalOptions: def.externalOptions ?? false,
    hubspotDefined: false,
    readOnlyValue: def.fieldType === 'calculation_equation',
    ...(def.calculationFormula === undefined ? {} : { calculationFormula: def.calculationFormula }),
    ...(def.referencedObjectType === undefined ? {} : { referencedObjectType: def.referencedObjectType }),
    ...(def.createdAt === undefined ? {} : { createdAt: Date.parse(def.createdAt) }),
    ...(def.updatedAt === undefined ? {} : { updatedAt: Date.parse(def.updatedAt) }),
    archived: def.archived ?? false,
  };
}

function groupFromFixture(group: FixturePropertyGroup): PropertyGroupDefinition {
  return {
    name: group.name,
    label: group.label,
    displayOrder: group.displayOrder ?? -1,
    archived: group.archived ?? false,
    hubspotDefined: false,
  };
}

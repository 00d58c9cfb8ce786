import type pg from 'pg';
import { expect } from 'vitest';
import { DEFAULT_DEFINITIONS } from '../../../../server/domain/policy/default-policy.ts';
import type { Fixture } from '../../../../server/sandbox/fixture.ts';
import { syncPropertiesOf } from '../../../../server/sync/sync-properties.ts';

const TYPES = ['contacts', 'companies', 'deals', 'tickets'] as const;
const STAGE_PROPERTY = { contacts: 'lifecyclestage', deals: 'dealstage', tickets: 'hs_pipeline_stage' } as const;
const PAIRS = new Set(['companies-contacts', 'contacts-deals', 'deals-tickets', 'companies-deals']);

const iso = (value: string | Date) => new Date(value).toISOString();

/** Properties the fixture's records carry that the sync does not request (no definition reads them), sorted. */
export function propertiesNotRequested(fixture: Fixture): string[] {
  const requested = syncPropertiesOf(DEFAULT_DEFINITIONS);
  const unread = new Set<string>();
  for (const type of TYPES)
    for (const record of fixture.objects[type] ?? [])
      for (const name of Object.keys(record.properties))
        if (!requested[type].properties.includes(name)) unread.add(name);
  return [...unread].sort();
}

/** Every mirror table of one portal, ordered, so two syncs can be compared row for row. */
export async function mirrorSnapshot(db: pg.Pool, portalId: number): Promise<Record<string, unknown[]>> {
  const queries: Record<string, string> = {
    contacts: 'SELECT id, properties, created_at, updated_at, archived FROM contacts WHERE portal_id = $1 ORDER BY id',
    companies:
      'SELECT id, properties, created_at, updated_at, archived FROM companies WHERE portal_id = $1 ORDER BY id',
    deals: 'SELECT id, properties, created_at, updated_at, archived FROM deals WHERE portal_id = $1 ORDER BY id',
    tickets: 'SELECT id, properties, created_at, updated_at, archived FROM tickets WHERE portal_id = $1 ORDER BY id',
    stage_events: `SELECT object_type, object_id, property, value, occurred_at, source_type, source_id, source_label,
                          updated_by_user_id FROM stage_events WHERE portal_id = $1 ORDER BY 1, 2, 3, 5, 4`,
    associations:
      'SELECT from_type, from_id, to_type, to_id FROM associations WHERE portal_id = $1 ORDER BY 1, 2, 3, 4',
    owners: 'SELECT id, email, first_name, last_name, archived FROM owners WHERE portal_id = $1 ORDER BY id',
    pipelines: 'SELECT object_type, id, label, display_order, stages FROM pipelines WHERE portal_id = $1 ORDER BY 1, 2',
    hubspot_events: `SELECT id, event_type, object_type, object_id, occurred_at, properties
                       FROM hubspot_events WHERE portal_id = $1 ORDER BY id`,
  };
  const snapshot: Record<string, unknown[]> = {};
  for (const [table, sql] of Object.entries(queries)) snapshot[table] = (await db.query(sql, [portalId])).rows;
  return snapshot;
}

/**
 * Asserts the mirror holds exactly the fixture: every record with every property the fixture gives
 * it (but `ignoredProperties`: ones no definition reads, which the sync does not request), one stage event per history entry (a value without history reads as one IMPORT entry at
 * creation, as HubSpot shows it), each association once, owners, pipelines and contacts' events.
 */
export async function expectMirrorEqualsFixture(
  db: pg.Pool,
  portalId: number,
  fixture: Fixture,
  options: { ignoredProperties?: readonly string[]; objectsOnly?: boolean } = {},
): Promise<void> {
  const ignored = new Set(options.ignoredProperties ?? []);
  const snapshot = await mirrorSnapshot(db, portalId);
  for (const type of TYPES) {
    // Records deleted or merged away stay in the mirror, archived (as in HubSpot's recycle bin).
    const rows = (
      snapshot[type] as {
        id: number;
        properties: Record<string, string | null>;
        created_at: Date;
        updated_at: Date;
        archived: boolean;
      }[]
    ).filter((r) => !r.archived);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const live = (fixture.objects[type] ?? []).filter((r) => !r.archived);
    expect(rows.length, `${type} live rows`).toBe(live.length);
    for (const record of live) {
      const row = byId.get(Number(record.id));
      expect(row, `${type} ${record.id}`).toBeDefined();
      for (const [name, value] of Object.entries(record.properties).filter(([n]) => !ignored.has(n)))
        expect(row!.properties[name] ?? null, `${type} ${record.id}.${name}`).toBe(value ?? null);
      expect(iso(row!.created_at)).toBe(iso(record.createdAt));
      expect(iso(row!.updated_at)).toBe(iso(record.updatedAt));
    }
  }

  const liveKeys = new Set(
    TYPES.flatMap((type) =>
      (fixture.objects[type] ?? []).filter((r) => !r.archived).map((r) => `${type}|${Number(r.id)}`),
    ),
  );
  const expectedEvents: string[] = [];
  for (const type of ['contacts', 'deals', 'tickets'] as const) {
    const property = STAGE_PROPERTY[type];
    for (const record of (fixture.objects[type] ?? []).filter((r) => !r.archived)) {
      const history = record.propertiesWithHistory?.[property];
      const value = record.properties[property];
      const entries =
        history ??
        (value === undefined || value === null ? [] : [{ value, timestamp: record.createdAt, sourceType: 'IMPORT' }]);
      for (const e of entries)
        expectedEvents.push(
          [type, Number(record.id), property, e.value ?? '', iso(e.timestamp), e.sourceType ?? null].join('|'),
        );
    }
  }
  const actualEvents = (
    snapshot.stage_events as {
      object_type: string;
      object_id: number;
      property: string;
      value: string;
      occurred_at: Date;
      source_type: string | null;
    }[]
  )
    // An archived record keeps its history in the mirror; readers skip it with the record.
    .filter((e) => liveKeys.has(`${e.object_type}|${e.object_id}`))
    .map((e) => [e.object_type, e.object_id, e.property, e.value, iso(e.occurred_at), e.source_type].join('|'));
  expect(actualEvents.sort()).toEqual([...new Set(expectedEvents)].sort());

  const expectedPairs = new Set<string>();
  for (const a of fixture.associations) {
    const [from, to] = a.from.type < a.to.type ? [a.from, a.to] : [a.to, a.from];
    // HubSpot lists no association of a record in its recycle bin.
    if (!liveKeys.has(`${from.type}|${Number(from.id)}`) || !liveKeys.has(`${to.type}|${Number(to.id)}`)) continue;
    if (PAIRS.has(`${from.type}-${to.type}`))
      expectedPairs.add(`${from.type}|${Number(from.id)}|${to.type}|${Number(to.id)}`);
  }
  const actualPairs = (
    snapshot.associations as { from_type: string; from_id: number; to_type: string; to_id: number }[]
  ).map((a) => `${a.from_type}|${a.from_id}|${a.to_type}|${a.to_id}`);
  expect(actualPairs.length).toBe(new Set(actualPairs).size);
  expect(actualPairs.sort()).toEqual([...expectedPairs].sort());

  // Owners, pipelines and events are the full sync's; an incremental sync leaves them alone.
  if (options.objectsOnly) return;
  // Deactivated owners too (records still name them), flagged archived.
  expect(snapshot.owners).toEqual(
    [...fixture.owners]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((o) => ({
        id: o.id,
        email: o.email ?? null,
        first_name: o.firstName ?? null,
        last_name: o.lastName ?? null,
        archived: o.archived ?? false,
      })),
  );

  const expectedPipelines = (['deals', 'tickets'] as const).flatMap((type) =>
    (fixture.pipelines[type] ?? []).map((p) => ({
      object_type: type,
      id: p.id,
      label: p.label,
      stages: p.stages.map((s) => ({ id: s.id, label: s.label })),
    })),
  );
  const actualPipelines = (
    snapshot.pipelines as { object_type: string; id: string; label: string; stages: { id: string; label: string }[] }[]
  ).map((p) => ({
    object_type: p.object_type,
    id: p.id,
    label: p.label,
    stages: p.stages.map((s) => ({ id: s.id, label: s.label })),
  }));
  expect(actualPipelines).toEqual(
    expectedPipelines.sort((a, b) => (a.object_type + a.id < b.object_type + b.id ? -1 : 1)),
  );

  // HubSpot may still name a merged-away contact on its events; the mirror keeps them on the survivor.
  const survivorOf = new Map<number, number>();
  for (const contact of (fixture.objects.contacts ?? []).filter((c) => !c.archived))
    for (const merged of (contact.properties.hs_merged_object_ids ?? '').split(';').filter(Boolean))
      survivorOf.set(Number(merged), Number(contact.id));
  const expectedEventRows = fixture.events
    .filter((e) => e.objectType === 'contacts')
    .map((e) => ({
      id: e.id,
      event_type: e.eventType,
      object_id: survivorOf.get(Number(e.objectId)) ?? Number(e.objectId),
      occurred_at: iso(e.occurredAt),
      properties: e.properties ?? {},
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const actualEventRows = (
    snapshot.hubspot_events as {
      id: string;
      event_type: string;
      object_id: number;
      occurred_at: Date;
      properties: Record<string, string>;
    }[]
  ).map((e) => ({
    id: e.id,
    event_type: e.event_type,
    object_id: e.object_id,
    occurred_at: iso(e.occurred_at),
    properties: e.properties,
  }));
  expect(actualEventRows).toEqual(expectedEventRows);
}

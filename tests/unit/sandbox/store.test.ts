import { describe, expect, it } from 'vitest';
import { createClock } from '../../../server/sandbox/clock.ts';
import type { SandboxChange } from '../../../server/sandbox/contracts.ts';
import { parseFixture } from '../../../server/sandbox/fixture.ts';
import { PortalStore } from '../../../server/sandbox/store.ts';
import { smallFixture } from './helpers.ts';

const AT = Date.parse('2026-11-02T09:00:00.000Z');
const APP = { changeSource: 'INTEGRATION', sourceId: '77' };

function setup() {
  const store = new PortalStore(parseFixture(smallFixture()), { clock: createClock({ start: AT, frozen: true }) });
  const changes: SandboxChange[] = [];
  store.onChange((c) => changes.push(c));
  return { store, changes };
}

describe('portal store', () => {
  it('derives HubSpot’s default properties from the record when the fixture lacks them', () => {
    const { store } = setup();
    const c = store.get('contacts', '102')!;
    expect(c.properties.get('hs_object_id')).toBe('102');
    expect(c.properties.get('createdate')).toBe('2026-01-02T00:00:00.000Z');
    expect(c.properties.get('lastmodifieddate')).toBe('2026-01-02T00:00:00.000Z');
    expect(store.get('deals', '301')!.properties.get('hs_lastmodifieddate')).toBe('2026-03-01T00:00:00.000Z');
  });

  it('writes only changed values, with history, updatedAt, stage dates and changes', () => {
    const { store, changes } = setup();
    expect(store.update('contacts', '101', { firstname: 'Eli' }, APP)).toEqual([]);
    expect(changes).toEqual([]);
    const changed = store.update('contacts', '101', { lifecyclestage: 'customer' }, APP);
    expect(changed).toEqual(
      expect.arrayContaining([
        'lifecyclestage',
        'hs_v2_date_entered_customer',
        'hs_lifecyclestage_customer_date',
        'hs_v2_date_exited_marketingqualifiedlead',
      ]),
    );
    const c = store.get('contacts', '101')!;
    expect(c.updatedAt).toBe(AT);
    expect(c.properties.get('lastmodifieddate')).toBe(new Date(AT).toISOString());
    expect(c.history.get('lifecyclestage')!.map((h) => h.value)).toEqual([
      'customer',
      'marketingqualifiedlead',
      'lead',
    ]);
    expect(c.history.get('lifecyclestage')![0]).toEqual({
      value: 'customer',
      timestamp: AT,
      sourceType: 'INTEGRATION',
      sourceId: '77',
    });
    expect(changes[0]).toEqual({
      kind: 'propertyChange',
      objectType: 'contacts',
      objectId: '101',
      propertyName: 'lifecyclestage',
      propertyValue: 'customer',
      occurredAt: AT,
      source: APP,
    });
  });

  it('keeps a replaced value without history as the first history entry', () => {
    const { store } = setup();
    store.update('contacts', '102', { firstname: 'Moe' }, APP);
    expect(
      store
        .get('contacts', '102')!
        .history.get('firstname')!
        .map((h) => h.value),
    ).toEqual(['Moe', 'Mo']);
  });

  it('creates with fresh ids, archives, and associates both ways', () => {
    const { store, changes } = setup();
    const created = store.create('contacts', { email: 'x@example.com' }, APP);
    expect(Number(created.id)).toBeGreaterThan(301);
    expect(store.findContactByEmail('X@example.com')!.id).toBe(created.id);
    store.associate('contacts', created.id, 'companies', '201', APP);
    expect(store.associations.idsOf('companies', '201', 'contacts')).toEqual(['101', created.id]);
    expect(store.associations.typesOf('contacts', created.id, 'companies', '201').map((t) => t.typeId)).toEqual([
      1, 279,
    ]);
    expect(store.archive('contacts', created.id, APP)).toBe(true);
    expect(store.findContactByEmail('x@example.com')).toBeUndefined();
    expect(changes.map((c) => c.kind)).toEqual(['creation', 'propertyChange', 'associationChange', 'deletion']);
  });

  it('restores a deleted record as it was, email, associations and dates included', () => {
    const { store, changes } = setup();
    const before = store.get('contacts', '101')!;
    const updatedAt = before.updatedAt;
    expect(store.restore('contacts', '101', APP)).toBe('not-archived');
    store.archive('contacts', '101', APP);
    expect(store.findContactByEmail('eli@example.com')).toBeUndefined();
    expect(store.restore('contacts', '101', APP)).toBe('restored');
    const after = store.get('contacts', '101')!;
    expect(after).toMatchObject({ archived: false, updatedAt });
    expect(after.archivedAt).toBeUndefined();
    expect(after.properties.get('lastmodifieddate')).toBe(new Date(updatedAt).toISOString());
    expect(store.findContactByEmail('eli@example.com')!.id).toBe('101');
    expect(store.associations.idsOf('contacts', '101', 'deals')).toEqual(['301']);
    expect(changes.map((c) => c.kind)).toEqual(['deletion', 'restore']);
    // Not while another live contact has its email.
    store.archive('contacts', '101', APP);
    store.create('contacts', { email: 'eli@example.com' }, APP);
    expect(store.restore('contacts', '101', APP)).toBe('email-taken');
    expect(store.get('contacts', '101')!.archived).toBe(true);
  });

  it('moves the "Primary" company label, and clears it without removing the association', () => {
    const { store, changes } = setup();
    const other = store.create('companies', { name: 'Globex' }, APP);
    store.associate('contacts', '101', 'companies', other.id, APP);
    const typeIds = (company: string) =>
      store.associations.typesOf('contacts', '101', 'companies', company).map((t) => t.typeId);
    expect([typeIds('201'), typeIds(other.id)]).toEqual([[1, 279], [279]]);
    changes.length = 0;
    expect(store.labelPrimary('contacts', '101', 'companies', other.id, true, APP)).toBe(true);
    expect([typeIds('201'), typeIds(other.id)]).toEqual([[279], [1, 279]]);
    expect(store.labelPrimary('contacts', '101', 'companies', other.id, true, APP)).toBe(false);
    expect(store.labelPrimary('companies', other.id, 'contacts', '101', false, APP)).toBe(true);
    expect([typeIds('201'), typeIds(other.id)]).toEqual([[279], [279]]);
    expect(changes).toMatchObject([
      { kind: 'associationChange', toObjectId: '201', associationRemoved: true, primary: true },
      { kind: 'associationChange', toObjectId: other.id, associationRemoved: false, primary: true },
      { kind: 'associationChange', fromObjectId: other.id, toObjectId: '101', associationRemoved: true, primary: true },
    ]);
    // Only a record–company edge has the label.
    expect(store.labelPrimary('contacts', '101', 'deals', '301', true, APP)).toBe(false);
  });

  it('pages by id with a cursor, skipping archived records', () => {
    const { store } = setup();
    store.archive('contacts', '101', APP);
    const table = store.tables.contacts;
    expect(table.page(0, 10, false).items.map((o) => o.id)).toEqual(['102']);
    expect(table.page(0, 10, true).items.map((o) => o.id)).toEqual(['101']);
    const first = table.page(0, 1, true);
    expect(first.next).toBeUndefined();
  });

  it('merges as HubSpot does since 2024: a new record takes both ids, values, histories and associations', () => {
    const { store, changes } = setup();
    store.associate('contacts', '102', 'deals', '301', APP);
    store.update('contacts', '102', { lastname: 'Haddad' }, APP);
    const merged = store.merge('contacts', '101', '102', APP);
    expect(merged.id).toBe('302');
    // The primary's values, the other's where the primary has none; the older create date.
    expect(merged.properties.get('firstname')).toBe('Eli');
    expect(merged.properties.get('email')).toBe('eli@example.com');
    expect(merged.properties.get('lastname')).toBe('Haddad');
    expect(merged.properties.get('createdate')).toBe('2026-01-01T00:00:00.000Z');
    expect(merged.createdAt).toBe(Date.parse('2026-01-01T00:00:00.000Z'));
    expect(merged.properties.get('hs_object_id')).toBe('302');
    expect(merged.properties.get('hs_merged_object_ids')).toBe('101;102');
    expect(merged.history.get('lifecyclestage')!.map((e) => e.value)).toEqual(['marketingqualifiedlead', 'lead']);
    // Mo's value is newer than Eli's, but the primary's is kept: the merge stamps it as the newest entry.
    expect(merged.history.get('firstname')!.map((e) => [e.value, e.timestamp])).toEqual([
      ['Eli', AT],
      ['Mo', Date.parse('2026-01-02T00:00:00.000Z')],
      ['Eli', Date.parse('2026-01-01T00:00:00.000Z')],
    ]);
    // Both old ids resolve to it; neither is listed, live or archived.
    expect(store.get('contacts', '101')!.id).toBe('302');
    expect(store.get('contacts', '102')!.id).toBe('302');
    expect(store.findContactByEmail('mo@example.com')!.id).toBe('302');
    expect([...store.tables.contacts.all()].map((o) => o.id)).toEqual(['302']);
    expect(store.tables.contacts.page(0, 10, true).items).toEqual([]);
    expect(store.associations.idsOf('contacts', '302', 'deals')).toEqual(['301']);
    expect(store.associations.idsOf('contacts', '302', 'companies')).toEqual(['201']);
    expect(changes.at(-1)).toMatchObject({
      kind: 'merge',
      primaryObjectId: '101',
      mergedObjectIds: ['102'],
      newObjectId: '302',
    });
  });

  it('lists every id ever merged into a record, earlier merges included', () => {
    const { store } = setup();
    const first = store.merge('contacts', '101', '102', APP);
    const other = store.create('contacts', { email: 'third@example.com' }, APP);
    const second = store.merge('contacts', other.id, first.id, APP);
    expect(second.properties.get('hs_merged_object_ids')).toBe(['101', '102', first.id, other.id].join(';'));
    expect(store.get('contacts', '101')!.id).toBe(second.id);
  });
});

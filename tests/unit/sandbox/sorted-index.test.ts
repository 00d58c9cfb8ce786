import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFixture } from '../../../server/sandbox/fixture.ts';
import { compileFilterGroups, sortRecords, type Filter } from '../../../server/sandbox/search/filters.ts';
import { SortedIndexes } from '../../../server/sandbox/search/sorted-index.ts';
import { PortalStore } from '../../../server/sandbox/store.ts';
import { smallFixture } from './helpers.ts';

const BASE = Date.parse('2026-01-01T00:00:00Z');

function portal(times: (number | null)[]) {
  const contacts = times.map((t, i) => ({
    id: String(1000 + i),
    createdAt: new Date(BASE).toISOString(),
    updatedAt: new Date(BASE + (t ?? 0) * 3_600_000).toISOString(),
    archived: i % 7 === 3,
    properties: {
      email: `c${i}@example.com`,
      ...(t === null ? {} : { hs_lifecyclestage_customer_date: new Date(BASE + t * 3_600_000).toISOString() }),
      associatedcompanyid: String((i * 37) % 11),
    },
  }));
  return new PortalStore(parseFixture(smallFixture({ objects: { contacts }, associations: [], events: [] })));
}

describe('sorted index', () => {
  it('answers exactly what a scan and sort answer', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }), { minLength: 0, maxLength: 60 }),
        fc.constantFrom('lastmodifieddate', 'hs_lifecyclestage_customer_date', 'associatedcompanyid', 'hs_object_id'),
        fc.constantFrom('EQ', 'GT', 'GTE', 'LT', 'LTE', 'BETWEEN'),
        fc.integer({ min: -5, max: 55 }),
        fc.integer({ min: 0, max: 20 }),
        (times, property, operator, a, width) => {
          const store = portal(times);
          const table = store.tables.contacts;
          const def = (n: string) => store.property('contacts', n);
          const value = (x: number) =>
            property === 'associatedcompanyid'
              ? String(x % 12)
              : property === 'hs_object_id'
                ? String(1000 + x)
                : String(BASE + x * 3_600_000);
          const filters: Filter[] = [
            { propertyName: property, operator, value: value(a), highValue: value(a + width) },
            { propertyName: 'email', operator: 'HAS_PROPERTY' },
          ];
          const match = compileFilterGroups('contacts', [{ filters }], def);
          const sort = { propertyName: property, direction: 'ASCENDING' as const };
          const indexed = new SortedIndexes().query(table, filters, sort, def(property), match);
          const scanned = sortRecords(
            [...table.all()].filter((o) => !o.archived && match(o)),
            sort,
            def,
          );
          expect(indexed?.map((o) => o.id)).toEqual(scanned.map((o) => o.id));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('declines queries it cannot answer in order', () => {
    const store = portal([1, 2, 3]);
    const def = store.property('contacts', 'lastmodifieddate');
    const q = (filters: Filter[], direction: 'ASCENDING' | 'DESCENDING') =>
      new SortedIndexes().query(
        store.tables.contacts,
        filters,
        { propertyName: 'lastmodifieddate', direction },
        def,
        () => true,
      );
    expect(q([{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' }], 'DESCENDING')).toBeNull();
    expect(q([{ propertyName: 'email', operator: 'HAS_PROPERTY' }], 'ASCENDING')).toBeNull();
  });
});

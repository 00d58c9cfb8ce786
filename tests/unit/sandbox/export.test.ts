import { describe, expect, it } from 'vitest';
import { createClock } from '../../../server/sandbox/clock.ts';
import { exportFixture, exportFixtureJson } from '../../../server/sandbox/export.ts';
import { loadFixture, parseFixture } from '../../../server/sandbox/fixture.ts';
import { PortalStore } from '../../../server/sandbox/store.ts';
import { smallFixture } from './helpers.ts';

describe('export', () => {
  it('is byte-stable for the same state and loads back to the same state', async () => {
    const fixture = await loadFixture('tests/fixtures/demo-portal.json');
    const a = exportFixtureJson(new PortalStore(fixture));
    const b = exportFixtureJson(new PortalStore(fixture));
    expect(a).toBe(b);
    const again = exportFixtureJson(new PortalStore(parseFixture(JSON.parse(a))));
    expect(again).toBe(a);
  });

  it('keeps every record, property value and history as given, plus HubSpot defaults', async () => {
    const fixture = await loadFixture('tests/fixtures/demo-portal.json');
    const out = exportFixture(new PortalStore(fixture));
    for (const type of ['contacts', 'companies', 'deals', 'tickets'] as const) {
      const given = new Map((fixture.objects[type] ?? []).map((o) => [o.id, o]));
      expect(out.objects[type]?.length).toBe(given.size);
      for (const o of out.objects[type] ?? []) {
        const g = given.get(o.id)!;
        expect(o.createdAt).toBe(g.createdAt);
        expect(o.updatedAt).toBe(g.updatedAt);
        for (const [k, v] of Object.entries(g.properties)) expect(o.properties[k]).toBe(v);
        expect(o.properties.hs_object_id).toBe(o.id);
        expect(o.propertiesWithHistory ?? {}).toEqual(g.propertiesWithHistory ?? {});
      }
    }
    expect(out.associations).toHaveLength(fixture.associations.length);
    expect(out.events).toEqual(fixture.events);
    expect(out.ingest).toEqual(fixture.ingest);
  });

  it('includes custom properties and groups, given or created', () => {
    const store = new PortalStore(
      parseFixture(
        smallFixture({
          propertyGroups: { contacts: [{ name: 'closed_loop', label: 'Closed-loop reporting' }] },
          properties: {
            contacts: [
              {
                name: 'clr_icp_tier',
                label: 'ICP tier',
                type: 'enumeration',
                fieldType: 'select',
                groupName: 'closed_loop',
                options: [{ label: 'Tier 1', value: 'tier_1' }],
              },
            ],
          },
        }),
      ),
      { clock: createClock({ start: Date.parse('2026-11-02T00:00:00Z'), frozen: true }) },
    );
    const out = exportFixture(store);
    expect(out.properties?.contacts?.map((p) => p.name)).toEqual(['clr_icp_tier']);
    expect(out.propertyGroups?.contacts).toEqual([{ name: 'closed_loop', label: 'Closed-loop reporting' }]);
    expect(out.properties?.deals).toEqual([]);
  });
});

describe('export after writes', () => {
  it('loads back to the same bytes: written values, history, created records, properties, associations', () => {
    const clock = createClock({ start: Date.parse('2026-11-02T00:00:00Z'), frozen: true });
    const store = new PortalStore(parseFixture(smallFixture()), { clock });
    const app = { changeSource: 'INTEGRATION', sourceId: '1000001', sourceLabel: 'Closed Loop' };
    store.addPropertyGroup('contacts', {
      name: 'closed_loop',
      label: 'Closed loop',
      displayOrder: -1,
      archived: false,
      hubspotDefined: false,
    });
    store.addProperty('contacts', {
      ...store.property('contacts', 'firstname')!,
      name: 'clr_icp_tier',
      label: 'ICP tier',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'closed_loop',
      options: [{ label: 'Tier 1', value: 'tier_1', displayOrder: 0, hidden: false }],
      hubspotDefined: false,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    store.update('contacts', '101', { clr_icp_tier: 'tier_1', lifecyclestage: 'customer' }, app);
    clock.advance(1000);
    const created = store.create('deals', { dealname: 'New', pipeline: 'default', dealstage: 'closedwon' }, app);
    store.associate('deals', created.id, 'companies', '201', app);
    store.archive('contacts', '102', app);
    const first = exportFixtureJson(store);
    const again = exportFixtureJson(new PortalStore(parseFixture(JSON.parse(first)), { clock }));
    expect(again).toBe(first);
    const out = JSON.parse(first) as ReturnType<typeof exportFixture>;
    expect(out.properties?.contacts?.map((p) => p.name)).toEqual(['clr_icp_tier']);
    expect(out.objects.contacts?.find((c) => c.id === '101')?.propertiesWithHistory?.clr_icp_tier?.[0]).toEqual({
      value: 'tier_1',
      timestamp: '2026-11-02T00:00:00.000Z',
      sourceType: 'INTEGRATION',
      sourceId: '1000001',
      sourceLabel: 'Closed Loop',
    });
    expect(out.objects.contacts?.find((c) => c.id === '102')?.archived).toBe(true);
  });
});

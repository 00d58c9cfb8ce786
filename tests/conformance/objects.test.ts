import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxChange } from '../../server/sandbox/contracts.ts';
import { DEFAULT_APP, type Sandbox } from '../../server/sandbox/server.ts';
import { clientFor, demoFixtureJson, failure, startDemo } from './helpers.ts';

type Api = {
  basicApi: {
    getPage(
      limit?: number,
      after?: string,
      properties?: string[],
      propertiesWithHistory?: string[],
      associations?: string[],
      archived?: boolean,
    ): Promise<{
      results: { id: string; properties: Record<string, string | null>; createdAt: Date; updatedAt: Date }[];
      paging?: { next?: { after: string } };
    }>;
  };
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startDemo();
});
afterAll(() => sandbox.close());

const TYPES = ['contacts', 'companies', 'deals', 'tickets'] as const;

describe('CRM objects v3, through the SDK', () => {
  it('a full paged read returns exactly the fixture’s records', async () => {
    const fixture = demoFixtureJson();
    const client = clientFor(sandbox);
    for (const type of TYPES) {
      const given = fixture.objects![type] ?? [];
      const names = [...new Set(given.flatMap((o) => Object.keys(o.properties)))];
      const api = client.crm[type] as unknown as Api;
      const seen: { id: string; properties: Record<string, string | null> }[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await api.basicApi.getPage(100, after, names);
        expect(page.results.length).toBeLessThanOrEqual(100);
        seen.push(...page.results);
        after = page.paging?.next?.after;
        pages++;
      } while (after);
      expect(pages).toBe(Math.max(1, Math.ceil(given.length / 100)));
      expect(seen.map((o) => o.id).sort()).toEqual(given.map((o) => o.id).sort());
      const byId = new Map(seen.map((o) => [o.id, o]));
      for (const o of given) {
        for (const [name, value] of Object.entries(o.properties)) expect(byId.get(o.id)!.properties[name]).toBe(value);
      }
    }
  });

  it('parses into the SDK’s models: Dates, history newest first, ≤50 a page with history', async () => {
    const page = await clientFor(sandbox).crm.contacts.basicApi.getPage(
      100,
      undefined,
      ['lifecyclestage'],
      ['lifecyclestage'],
    );
    expect(page.results).toHaveLength(50);
    const first = page.results[0]!;
    expect(first.createdAt).toBeInstanceOf(Date);
    expect(first.updatedAt).toBeInstanceOf(Date);
    for (const contact of page.results) {
      const history = contact.propertiesWithHistory!.lifecyclestage!;
      expect(history[0]!.value).toBe(contact.properties.lifecyclestage);
      for (let i = 1; i < history.length; i++) {
        expect(history[i]!.timestamp).toBeInstanceOf(Date);
        expect(history[i - 1]!.timestamp.getTime()).toBeGreaterThanOrEqual(history[i]!.timestamp.getTime());
      }
    }
    expect(page.paging?.next?.after).toBeTruthy();
  });

  it('always carries hs_object_id, createdate and the last-modified property', async () => {
    const client = clientFor(sandbox);
    const contact = (await client.crm.contacts.basicApi.getPage(1, undefined, ['email'])).results[0]!;
    expect(Object.keys(contact.properties).sort()).toEqual(['createdate', 'email', 'hs_object_id', 'lastmodifieddate']);
    const deal = (await client.crm.deals.basicApi.getPage(1, undefined, ['dealname'])).results[0]!;
    expect(deal.properties.hs_lastmodifieddate).toBe(deal.updatedAt.toISOString());
    expect(deal.properties.hs_object_id).toBe(deal.id);
  });

  it('reads one record, and 404s one that does not exist', async () => {
    const client = clientFor(sandbox);
    const deal = await client.crm.deals.basicApi.getById('1057', ['dealstage', 'amount'], ['dealstage'], ['contacts']);
    expect(deal.properties.amount).toBe('59200');
    expect(deal.propertiesWithHistory!.dealstage!.map((h) => h.value)).toEqual([
      'qualifiedtobuy',
      'appointmentscheduled',
    ]);
    expect(deal.associations?.contacts?.results.length).toBeGreaterThan(0);
    expect((await failure(client.crm.deals.basicApi.getById('999999'))).code).toBe(404);
  });

  it('batch read: 207 with OBJECT_NOT_FOUND for missing ids; 101 inputs → 400; 51 with history → 400', async () => {
    const client = clientFor(sandbox);
    const read = await client.crm.contacts.batchApi.read({
      inputs: [{ id: '1040' }, { id: '424242' }],
      properties: ['email'],
      propertiesWithHistory: ['lifecyclestage'],
    });
    expect(read.results.map((r) => r.id)).toEqual(['1040']);
    expect(read.results[0]!.propertiesWithHistory!.lifecyclestage![0]!.timestamp).toBeInstanceOf(Date);
    expect('errors' in read && read.errors?.[0]).toMatchObject({
      category: 'OBJECT_NOT_FOUND',
      message: 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
      context: { ids: ['424242'] },
    });

    const tooMany = await failure(
      client.crm.contacts.batchApi.read({
        inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1) })),
        properties: [],
        propertiesWithHistory: [],
      }),
    );
    expect(tooMany.code).toBe(400);
    expect(tooMany.body.category).toBe('VALIDATION_ERROR');
    const history = await failure(
      client.crm.contacts.batchApi.read({
        inputs: Array.from({ length: 51 }, (_, i) => ({ id: String(i + 1) })),
        properties: [],
        propertiesWithHistory: ['lifecyclestage'],
      }),
    );
    expect(history.code).toBe(400);
    expect(String(history.body.message)).toContain('property histories is 50');
  });
});

describe('writes', () => {
  it('batch update validates against the property definitions, with HubSpot’s 400', async () => {
    const client = clientFor(sandbox);
    const cases: [Record<string, string>, string][] = [
      [{ no_such_property: 'x' }, 'PROPERTY_DOESNT_EXIST'],
      [{ lifecyclestage: 'not-a-stage' }, 'INVALID_OPTION'],
      [{ associatedcompanyid: 'twelve' }, 'INVALID_DECIMAL'],
      [{ hs_object_id: '5' }, 'READ_ONLY_VALUE'],
    ];
    for (const [properties, error] of cases) {
      const { code, body } = await failure(
        client.crm.contacts.batchApi.update({ inputs: [{ id: '1040', properties }] }),
      );
      expect(code).toBe(400);
      expect(body.category).toBe('VALIDATION_ERROR');
      expect(String(body.message)).toMatch(/^Property values were not valid: \[/);
      expect(JSON.parse(String(body.message).replace('Property values were not valid: ', ''))[0]).toMatchObject({
        isValid: false,
        error,
      });
    }
    const dealDate = await failure(
      client.crm.deals.batchApi.update({ inputs: [{ id: '1057', properties: { closedate: 'soon' } }] }),
    );
    expect(String(dealDate.body.message)).toContain('INVALID_DATETIME');
    const tooMany = await failure(
      client.crm.contacts.batchApi.update({
        inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1), properties: { firstname: 'x' } })),
      }),
    );
    expect(tooMany.code).toBe(400);
    expect(tooMany.body.category).toBe('VALIDATION_ERROR');
  });

  it('batch update writes values, history, updatedAt and the write log, and emits changes', async () => {
    const client = clientFor(sandbox);
    const changes: SandboxChange[] = [];
    const stop = sandbox.onChange((c) => changes.push(c));
    const at = Date.parse('2026-11-05T10:00:00.000Z');
    sandbox.clock.freeze(at);
    try {
      await client.crm.properties.groupsApi.create('deals', { name: 'closed_loop', label: 'Closed-loop reporting' });
      await client.crm.properties.coreApi.create('deals', {
        name: 'clr_win_reason',
        label: 'Win reason',
        type: 'enumeration' as never,
        fieldType: 'select' as never,
        groupName: 'closed_loop',
        options: [
          { label: 'Price', value: 'price', hidden: false },
          { label: 'Timeline', value: 'timeline', hidden: false },
        ],
      });
      const updated = await client.crm.deals.batchApi.update({
        inputs: [
          {
            id: '1057',
            properties: { clr_win_reason: 'timeline', amount: '60000', dealstage: 'presentationscheduled' },
          },
        ],
      });
      expect(updated.results[0]!.properties.amount).toBe('60000');
      expect(updated.results[0]!.updatedAt.getTime()).toBe(at);

      const deal = await client.crm.deals.basicApi.getById(
        '1057',
        ['amount', 'hs_v2_date_entered_presentationscheduled'],
        ['amount', 'dealstage'],
      );
      expect(deal.properties.hs_lastmodifieddate).toBe('2026-11-05T10:00:00.000Z');
      expect(deal.properties.hs_v2_date_entered_presentationscheduled).toBe('2026-11-05T10:00:00.000Z');
      expect(deal.propertiesWithHistory!.amount![0]).toMatchObject({
        value: '60000',
        sourceType: 'INTEGRATION',
        sourceId: String(DEFAULT_APP.appId),
      });
      expect(deal.propertiesWithHistory!.amount![1]!.value).toBe('59200');
      expect(deal.propertiesWithHistory!.dealstage!.map((h) => h.value)).toEqual([
        'presentationscheduled',
        'qualifiedtobuy',
        'appointmentscheduled',
      ]);

      expect(changes).toContainEqual({
        kind: 'propertyChange',
        objectType: 'deals',
        objectId: '1057',
        propertyName: 'amount',
        propertyValue: '60000',
        occurredAt: at,
        source: { changeSource: 'INTEGRATION', sourceId: String(DEFAULT_APP.appId) },
      });
      const write = sandbox.writes.list({ kind: 'write', pathPrefix: '/crm/v3/objects/deals/batch/update' }).at(-1)!;
      expect(write).toMatchObject({
        method: 'POST',
        status: 200,
        appId: DEFAULT_APP.appId,
        at: '2026-11-05T10:00:00.000Z',
      });
      expect(write.body).toMatchObject({ inputs: [{ id: '1057' }] });
    } finally {
      sandbox.clock.unfreeze();
      stop();
    }
  });

  it('with objectWriteTraceId, writes the valid inputs and reports the others in a 207', async () => {
    const client = clientFor(sandbox);
    const res = await client.crm.contacts.batchApi.update({
      inputs: [
        { id: '1040', properties: { firstname: 'Elias' }, objectWriteTraceId: 'a' },
        { id: '1045', properties: { lifecyclestage: 'bogus' }, objectWriteTraceId: 'b' },
        { id: '987654', properties: { firstname: 'Ghost' }, objectWriteTraceId: 'c' },
      ],
    });
    expect(res.results.map((r) => r.id)).toEqual(['1040']);
    const errors = 'errors' in res ? (res.errors ?? []) : [];
    expect(errors).toHaveLength(2);
    expect(errors.map((e) => e.context)).toEqual([
      { objectWriteTraceId: ['b'], ids: ['1045'] },
      { ids: ['987654'], objectWriteTraceId: ['c'] },
    ]);
  });

  it('creates, archives and merges', async () => {
    const client = clientFor(sandbox);
    const created = await client.crm.contacts.batchApi.create({
      inputs: [{ properties: { email: 'new.person@example.com', firstname: 'New' }, associations: [] }],
    });
    const id = created.results[0]!.id;
    expect(created.results[0]!.properties.email).toBe('new.person@example.com');
    const dup = await failure(
      client.crm.contacts.basicApi.create({ properties: { email: 'NEW.person@example.com' }, associations: [] }),
    );
    expect(dup.code).toBe(409);
    expect(dup.body.category).toBe('CONFLICT');

    const other = await client.crm.contacts.basicApi.create({
      properties: { email: 'dup.person@example.com', lastname: 'Dup' },
      associations: [],
    });
    // A merge makes a new record (HubSpot's behaviour since 2024); both old ids resolve to it.
    const merged = await client.crm.contacts.basicApi.merge({ primaryObjectId: id, objectIdToMerge: other.id });
    expect([id, other.id]).not.toContain(merged.id);
    expect((await client.crm.contacts.basicApi.getById(other.id, ['lastname'])).id).toBe(merged.id);

    await client.crm.contacts.basicApi.archive(merged.id);
    expect((await failure(client.crm.contacts.basicApi.getById(merged.id))).code).toBe(404);
    const archived = await client.crm.contacts.basicApi.getById(merged.id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
    expect(archived.archivedAt).toBeInstanceOf(Date);
  });
});

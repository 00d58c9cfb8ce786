import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../server/sandbox/server.ts';
import { clientFor, failure, manyContacts, startDemo } from './helpers.ts';

type Search = Parameters<ReturnType<typeof clientFor>['crm']['contacts']['searchApi']['doSearch']>[0];
const search = (body: Record<string, unknown>) => body as unknown as Search;

let demo: Sandbox;
let big: Sandbox;
beforeAll(async () => {
  demo = await startDemo();
  big = await startSandbox({ fixture: manyContacts(10_050) });
});
afterAll(async () => {
  await demo.close();
  await big.close();
});

describe('search, through the SDK', () => {
  it('filters datetime properties with epoch-millisecond strings, sorts, pages and counts', async () => {
    const client = clientFor(demo);
    const since = Date.parse('2026-09-01T00:00:00Z');
    const body = search({
      filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(since) }] }],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['dealname', 'hs_lastmodifieddate'],
      limit: 5,
    });
    const first = await client.crm.deals.searchApi.doSearch(body);
    expect(first.total).toBeGreaterThan(5);
    expect(first.results).toHaveLength(5);
    const all = [...first.results];
    let after = first.paging?.next?.after;
    while (after) {
      const page = await client.crm.deals.searchApi.doSearch({ ...body, after });
      all.push(...page.results);
      after = page.paging?.next?.after;
    }
    expect(all).toHaveLength(first.total);
    const times = all.map((d) => Date.parse(d.properties.hs_lastmodifieddate!));
    expect(times.every((t) => t >= since)).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(all[0]!.createdAt).toBeInstanceOf(Date);
  });

  it('supports HubSpot’s operators', async () => {
    const client = clientFor(demo);
    const count = async (filters: Record<string, unknown>[], type: 'contacts' | 'deals' = 'contacts') =>
      (await client.crm[type].searchApi.doSearch(search({ filterGroups: [{ filters }], limit: 1 }))).total;
    const all = await count([]);
    const customers = await count([{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' }]);
    expect(customers).toBeGreaterThan(0);
    expect(await count([{ propertyName: 'lifecyclestage', operator: 'NEQ', value: 'customer' }])).toBe(all - customers);
    const leadsOrCustomers = await count([
      { propertyName: 'lifecyclestage', operator: 'IN', values: ['lead', 'customer'] },
    ]);
    expect(await count([{ propertyName: 'lifecyclestage', operator: 'NOT_IN', values: ['lead', 'customer'] }])).toBe(
      all - leadsOrCustomers,
    );
    const withCustomerDate = await count([
      { propertyName: 'hs_lifecyclestage_customer_date', operator: 'HAS_PROPERTY' },
    ]);
    expect(await count([{ propertyName: 'hs_lifecyclestage_customer_date', operator: 'NOT_HAS_PROPERTY' }])).toBe(
      all - withCustomerDate,
    );
    const big = await count([{ propertyName: 'amount', operator: 'GT', value: '50000' }], 'deals');
    const small = await count([{ propertyName: 'amount', operator: 'LTE', value: '50000' }], 'deals');
    const between = await count(
      [{ propertyName: 'amount', operator: 'BETWEEN', value: '50000', highValue: '80000' }],
      'deals',
    );
    expect(big + small).toBe(await count([{ propertyName: 'amount', operator: 'HAS_PROPERTY' }], 'deals'));
    expect(between).toBeGreaterThan(0);
    expect(await count([{ propertyName: 'amount', operator: 'LT', value: '1' }], 'deals')).toBe(0);
    // OR across groups
    const either = (
      await client.crm.contacts.searchApi.doSearch(
        search({
          filterGroups: [
            { filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' }] },
            { filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }] },
          ],
        }),
      )
    ).total;
    expect(either).toBe(leadsOrCustomers);
  });

  it('never pages past 10,000 results', async () => {
    const client = clientFor(big);
    const body = search({ filterGroups: [], limit: 200, after: '9800', properties: ['email'] });
    const page = await client.crm.contacts.searchApi.doSearch(body);
    expect(page.total).toBe(10_050);
    expect(page.results).toHaveLength(200);
    expect(page.paging?.next?.after).toBe('10000');
    const past = await failure(client.crm.contacts.searchApi.doSearch({ ...body, after: '10000' }));
    expect(past.code).toBe(400);
    expect(past.body.category).toBe('VALIDATION_ERROR');
  });

  it('refuses what HubSpot refuses: >200 a page, too many filters or groups, two sorts, a body over 3,000 characters', async () => {
    const client = clientFor(demo);
    const f = { propertyName: 'email', operator: 'HAS_PROPERTY' };
    for (const body of [
      { limit: 201 },
      { filterGroups: Array.from({ length: 6 }, () => ({ filters: [f] })) },
      { filterGroups: [{ filters: Array.from({ length: 7 }, () => f) }] },
      { filterGroups: Array.from({ length: 4 }, () => ({ filters: Array.from({ length: 5 }, () => f) })) },
      { sorts: ['createdate', '-email'] },
      { query: 'x'.repeat(3000) },
      { after: 'abc' },
    ]) {
      const { code, body: error } = await failure(client.crm.contacts.searchApi.doSearch(search(body)));
      expect(code, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(error.category).toBe('VALIDATION_ERROR');
    }
  });

  it('never returns archived records', async () => {
    const client = clientFor(big);
    const byEmail = search({
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'C7@EXAMPLE.COM' }] }],
    });
    const found = await client.crm.contacts.searchApi.doSearch(byEmail);
    expect(found.total).toBe(1);
    await client.crm.contacts.basicApi.archive(found.results[0]!.id);
    expect((await client.crm.contacts.searchApi.doSearch(byEmail)).total).toBe(0);
  });
});

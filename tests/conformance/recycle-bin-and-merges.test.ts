import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../server/sandbox/server.ts';
import { clientFor, demoFixtureJson, failure, startDemo } from './helpers.ts';

/**
 * What the sync relies on to see deletions, merges and new events, through the real SDK: the recycle
 * bin listing (`archived=true`), HubSpot's merge (a new record since 2024), the merged record's
 * `hs_merged_object_ids`, and events after an instant, oldest first.
 */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startDemo();
});
afterAll(() => sandbox.close());

const fixture = demoFixtureJson();
const idsOf = (type: 'contacts' | 'companies' | 'deals' | 'tickets') => (fixture.objects![type] ?? []).map((o) => o.id);
// The first test deletes these; later tests use other records.
const DELETED_CONTACTS = idsOf('contacts').slice(0, 120);

async function control(path: string, init: RequestInit): Promise<Response> {
  const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
    ...init,
    headers: { 'content-type': 'application/json' },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response;
}

describe('the recycle bin, through the SDK', () => {
  it('lists deleted records by id with archivedAt, 100 a page, and nowhere else', async () => {
    const client = clientFor(sandbox);
    const deleted = DELETED_CONTACTS;
    await client.crm.contacts.batchApi.archive({ inputs: deleted.slice(0, 100).map((id) => ({ id })) });
    for (const id of deleted.slice(100)) await control(`/objects/contacts/${id}`, { method: 'DELETE' });

    const listed: { id: string; archived?: boolean; archivedAt?: Date }[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await client.crm.contacts.basicApi.getPage(100, after, ['email'], undefined, undefined, true);
      listed.push(...page.results);
      after = page.paging?.next?.after;
      pages++;
    } while (after);
    expect(pages).toBe(2);
    expect(listed.map((r) => r.id)).toEqual([...deleted].sort((a, b) => Number(a) - Number(b)));
    expect(listed.every((r) => r.archived === true && r.archivedAt instanceof Date)).toBe(true);

    const live = await client.crm.contacts.basicApi.getPage(100, undefined, ['email']);
    expect(live.results.some((r) => deleted.includes(r.id))).toBe(false);
    const found = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'IN' as never, values: deleted }] }],
      limit: 100,
    } as never);
    expect(found.total).toBe(0);
  });

  it('lists no association of a deleted record, from either end', async () => {
    const client = clientFor(sandbox);
    const link = fixture.associations!.find((a) => a.from.type === 'deals' && a.to.type === 'tickets')!;
    const ticketsOf = async (deal: string) =>
      (
        await client.crm.associations.v4.batchApi.getPage('deals', 'tickets', { inputs: [{ id: deal }] })
      ).results.flatMap((r) => r.to.map((t) => String(t.toObjectId)));
    expect(await ticketsOf(link.from.id)).toContain(link.to.id);
    await client.crm.tickets.basicApi.archive(link.to.id);
    expect(await ticketsOf(link.from.id)).not.toContain(link.to.id);
    const fromDeleted = await client.crm.associations.v4.batchApi.getPage('tickets', 'deals', {
      inputs: [{ id: link.to.id }],
    });
    expect(fromDeleted.results).toEqual([]);
  });

  it('a restore brings the record back as it was, with its associations, and sends contact.restore', async () => {
    const client = clientFor(sandbox);
    const changes: string[] = [];
    const stop = sandbox.onChange((change) =>
      changes.push(`${change.kind}:${'objectId' in change ? change.objectId : ''}`),
    );
    const link = fixture.associations!.filter((a) => a.from.type === 'contacts' && a.to.type === 'deals').at(-1)!;
    const id = link.from.id;
    expect(DELETED_CONTACTS).not.toContain(id);
    const before = await client.crm.contacts.basicApi.getById(id, ['email', 'lastmodifieddate'], ['lifecyclestage']);
    await control(`/objects/contacts/${id}`, { method: 'DELETE' });
    expect((await failure(client.crm.contacts.basicApi.getById(id))).code).toBe(404);

    await control(`/objects/contacts/${id}/restore`, { method: 'POST', body: '{}' });
    stop();
    expect(changes).toEqual([`deletion:${id}`, `restore:${id}`]);
    const after = await client.crm.contacts.basicApi.getById(id, ['email', 'lastmodifieddate'], ['lifecyclestage']);
    expect(after.archived).toBe(false);
    expect(after.properties).toEqual(before.properties);
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(after.propertiesWithHistory).toEqual(before.propertiesWithHistory);
    const deals = await client.crm.associations.v4.basicApi.getPage('contacts', id, 'deals');
    expect(deals.results.map((r) => String(r.toObjectId))).toContain(link.to.id);
    const bin = await client.crm.contacts.basicApi.getPage(100, undefined, ['email'], undefined, undefined, true);
    expect(bin.results.map((r) => r.id)).not.toContain(id);
    // Once live again it can't be restored twice; a record never deleted can't be restored at all.
    const again = await fetch(`${sandbox.url}/__sandbox/objects/contacts/${id}/restore`, { method: 'POST' });
    expect(again.status).toBe(404);
  });

  it('a deleted contact whose email a live contact took can’t be restored', async () => {
    const client = clientFor(sandbox);
    const id = DELETED_CONTACTS[0]!;
    const email = fixture.objects!.contacts!.find((c) => c.id === id)!.properties.email!;
    await client.crm.contacts.basicApi.create({ properties: { email }, associations: [] });
    const refused = await fetch(`${sandbox.url}/__sandbox/objects/contacts/${id}/restore`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { category: string }).category).toBe('CONFLICT');
  });
});

describe('merges, through the SDK', () => {
  for (const type of ['companies', 'deals', 'tickets'] as const) {
    it(`${type}: a new record takes both ids; hs_merged_object_ids names them; neither is listed`, async () => {
      const client = clientFor(sandbox);
      const api = client.crm[type].basicApi;
      const [primary, other] = idsOf(type).slice(-2) as [string, string];
      const merged = await api.merge({ primaryObjectId: primary, objectIdToMerge: other });
      expect([primary, other]).not.toContain(merged.id);
      for (const old of [primary, other]) expect((await api.getById(old)).id).toBe(merged.id);
      const read = await api.getById(merged.id, ['hs_merged_object_ids', 'hs_object_id']);
      expect(read.properties.hs_merged_object_ids?.split(';').sort()).toEqual([primary, other].sort());
      expect(read.properties.hs_object_id).toBe(merged.id);

      const listed = new Set<string>();
      for (const archived of [false, true]) {
        let after: string | undefined;
        do {
          const page = await api.getPage(100, after, undefined, undefined, undefined, archived);
          for (const r of page.results) listed.add(r.id);
          after = page.paging?.next?.after;
        } while (after);
      }
      expect(listed.has(merged.id)).toBe(true);
      expect(listed.has(primary) || listed.has(other)).toBe(false);
    });
  }

  it('contacts: the merged record keeps both records’ associations and both histories', async () => {
    const client = clientFor(sandbox);
    const withDeals = fixture.associations!.filter(
      (a) => a.from.type === 'contacts' && a.to.type === 'deals' && !DELETED_CONTACTS.includes(a.from.id),
    );
    const [a, b] = [withDeals[0]!, withDeals.find((x) => x.from.id !== withDeals[0]!.from.id)!];
    const merged = await client.crm.contacts.basicApi.merge({ primaryObjectId: a.from.id, objectIdToMerge: b.from.id });
    const deals = await client.crm.associations.v4.batchApi.getPage('contacts', 'deals', {
      inputs: [{ id: merged.id }],
    });
    expect(deals.results[0]!.to.map((t) => String(t.toObjectId))).toEqual(expect.arrayContaining([a.to.id, b.to.id]));
    const read = await client.crm.contacts.basicApi.getById(merged.id, ['lifecyclestage'], ['lifecyclestage']);
    const history = read.propertiesWithHistory!.lifecyclestage!;
    const given = (id: string) => fixture.objects!.contacts!.find((c) => c.id === id)!;
    const expected = [given(a.from.id), given(b.from.id)].flatMap(
      (c) => c.propertiesWithHistory?.lifecyclestage?.length ?? (c.properties.lifecyclestage ? 1 : 0),
    );
    expect(history.length).toBeGreaterThanOrEqual(Math.max(...expected));
    expect(history[0]!.value).toBe(read.properties.lifecyclestage);
  });
});

describe('events after an instant, through the SDK', () => {
  it('lists only events that occurred after it, oldest first, including ones recorded since', async () => {
    const client = clientFor(sandbox);
    const latest = Math.max(...fixture.events!.map((e) => Date.parse(e.occurredAt)));
    const cut = new Date(latest - 60 * 60_000);
    const contactId = idsOf('contacts').at(-1)!;
    const recorded = [1, 2, 3].map((n) => ({
      id: `conformance-${n}`,
      eventType: 'e_visited_page',
      objectType: 'contacts',
      objectId: contactId,
      occurredAt: new Date(latest + n * 60_000).toISOString(),
      properties: { hs_url: `https://example.com/${n}` },
    }));
    await control('/events', { method: 'POST', body: JSON.stringify({ events: recorded }) });
    const page = await client.events.eventsApi.getPage(
      'contact',
      undefined,
      undefined,
      undefined,
      1000,
      ['occurredAt'],
      cut,
    );
    const after = fixture.events!.filter((e) => Date.parse(e.occurredAt) > cut.getTime()).length;
    expect(page.results.length).toBe(after + recorded.length);
    expect(page.results.slice(-3).map((e) => e.id)).toEqual(recorded.map((e) => e.id));
    const times = page.results.map((e) => e.occurredAt.getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });
});

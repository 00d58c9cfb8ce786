import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../server/sandbox/server.ts';
import { clientFor, demoFixtureJson, failure, startDemo } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startDemo();
});
afterAll(() => sandbox.close());

describe('associations v4, through the SDK', () => {
  it('answers both directions with HubSpot’s default type ids', async () => {
    const fixture = demoFixtureJson();
    const link = fixture.associations!.find((a) => a.from.type === 'contacts' && a.to.type === 'companies')!;
    const client = clientFor(sandbox);
    const forward = await client.crm.associations.v4.batchApi.getPage('contacts', 'companies', {
      inputs: [{ id: link.from.id }],
    });
    const to = forward.results[0]!.to.find((t) => String(t.toObjectId) === link.to.id)!;
    expect(forward.results[0]!._from.id).toBe(link.from.id);
    expect(to.associationTypes).toEqual([
      { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
      { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
    ]);
    const back = await client.crm.associations.v4.batchApi.getPage('companies', 'contacts', {
      inputs: [{ id: link.to.id }],
    });
    const from = back.results[0]!.to.find((t) => String(t.toObjectId) === link.from.id)!;
    expect(from.associationTypes.map((t) => t.typeId)).toEqual([2, 280]);

    const deal = fixture.associations!.find((a) => a.from.type === 'contacts' && a.to.type === 'deals')!;
    const dealToContact = await client.crm.associations.v4.batchApi.getPage('deals', 'contacts', {
      inputs: [{ id: deal.to.id }],
    });
    expect(dealToContact.results[0]!.to.find((t) => String(t.toObjectId) === deal.from.id)!.associationTypes).toEqual([
      { category: 'HUBSPOT_DEFINED', typeId: 3, label: null },
    ]);
    const contactToDeal = await client.crm.associations.v4.basicApi.getPage('contacts', deal.from.id, 'deals');
    expect(contactToDeal.results.find((r) => String(r.toObjectId) === deal.to.id)!.associationTypes[0]!.typeId).toBe(4);

    const ticket = fixture.associations!.find((a) => a.from.type === 'deals' && a.to.type === 'tickets')!;
    const ticketToDeal = await client.crm.associations.v4.batchApi.getPage('tickets', 'deals', {
      inputs: [{ id: ticket.to.id }],
    });
    expect(ticketToDeal.results[0]!.to[0]!.associationTypes[0]!.typeId).toBe(28);
  });

  it('reports ids without associations in a 207, refuses more than 1,000 inputs', async () => {
    const client = clientFor(sandbox);
    const res = await client.crm.associations.v4.batchApi.getPage('contacts', 'tickets', { inputs: [{ id: '1040' }] });
    expect(res.results).toEqual([]);
    expect('errors' in res && res.errors?.[0]?.category).toBe('OBJECT_NOT_FOUND');
    const tooMany = await failure(
      client.crm.associations.v4.batchApi.getPage('contacts', 'companies', {
        inputs: Array.from({ length: 1001 }, (_, i) => ({ id: String(i + 1) })),
      }),
    );
    expect(tooMany.code).toBe(400);
  });

  it('every fixture association reads back from both ends', async () => {
    const fixture = demoFixtureJson();
    const client = clientFor(sandbox);
    for (const a of fixture.associations!) {
      const fwd = await client.crm.associations.v4.basicApi.getPage(a.from.type, a.from.id, a.to.type);
      expect(fwd.results.map((r) => String(r.toObjectId))).toContain(a.to.id);
    }
    const sample = fixture.associations!.slice(0, 20);
    for (const a of sample) {
      const back = await client.crm.associations.v4.basicApi.getPage(a.to.type, a.to.id, a.from.type);
      expect(back.results.map((r) => String(r.toObjectId))).toContain(a.from.id);
    }
  });

  it('labelled associations: "Primary" moves between companies, its removal keeps the association', async () => {
    const fixture = demoFixtureJson();
    const client = clientFor(sandbox);
    const link = fixture.associations!.find((a) => a.from.type === 'contacts' && a.to.type === 'companies')!;
    const contact = link.from.id;
    const previous = link.to.id;
    const other = fixture.objects!.companies!.map((c) => c.id).find((id) => id !== previous)!;
    const typesOf = async () =>
      Object.fromEntries(
        (await client.crm.associations.v4.basicApi.getPage('contacts', contact, 'companies')).results.map((r) => [
          String(r.toObjectId),
          r.associationTypes.map((t) => t.typeId),
        ]),
      );
    const events: unknown[] = [];
    const stop = sandbox.onChange((change) => {
      if (change.kind === 'associationChange') events.push(change);
    });

    const created = await client.crm.associations.v4.basicApi.create('contacts', contact, 'companies', other, [
      { associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 1 },
    ]);
    expect(created).toMatchObject({
      fromObjectTypeId: '0-1',
      fromObjectId: contact,
      toObjectTypeId: '0-2',
      toObjectId: other,
      labels: ['Primary'],
    });
    expect(await typesOf()).toEqual({ [previous]: [279], [other]: [1, 279] });

    // Removing the label leaves the association; removing the unlabeled type removes it whole.
    const remove = (typeId: number) =>
      client.crm.associations.v4.batchApi.archiveLabels('contacts', 'companies', {
        inputs: [
          {
            _from: { id: contact },
            to: { id: other },
            types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: typeId }],
          },
        ],
      });
    await remove(1);
    expect(await typesOf()).toEqual({ [previous]: [279], [other]: [279] });
    await remove(279);
    expect(await typesOf()).toEqual({ [previous]: [279] });
    stop();
    expect(events).toMatchObject([
      { fromObjectId: contact, toObjectId: other, associationRemoved: false },
      { fromObjectId: contact, toObjectId: previous, associationRemoved: true, primary: true },
      { fromObjectId: contact, toObjectId: other, associationRemoved: false, primary: true },
      { fromObjectId: contact, toObjectId: other, associationRemoved: true, primary: true },
      { fromObjectId: contact, toObjectId: other, associationRemoved: true },
    ]);

    const custom = await failure(
      client.crm.associations.v4.basicApi.create('contacts', contact, 'companies', other, [
        { associationCategory: 'USER_DEFINED' as never, associationTypeId: 9999 },
      ]),
    );
    expect(custom.code).toBe(400);
  });
});

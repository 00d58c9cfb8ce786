import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../server/sandbox/server.ts';
import { clientFor, demoFixtureJson, failure, startDemo } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startDemo();
});
afterAll(() => sandbox.close());

describe('pipelines, properties, owners, events, through the SDK', () => {
  it('pipelines: the fixture’s, with stages in order and Dates', async () => {
    const client = clientFor(sandbox);
    const deals = await client.crm.pipelines.pipelinesApi.getAll('deals');
    expect(deals.results.map((p) => p.id)).toEqual(['default']);
    const stages = deals.results[0]!.stages;
    expect(stages.map((s) => s.id)[0]).toBe('appointmentscheduled');
    expect(stages[0]!.metadata).toEqual({ isClosed: 'false', probability: '0.2' });
    expect(stages[0]!.createdAt).toBeInstanceOf(Date);
    const tickets = await client.crm.pipelines.pipelinesApi.getAll('tickets');
    expect(tickets.results.map((p) => p.id)).toEqual(['0', 'delivery']);
    const one = await client.crm.pipelines.pipelineStagesApi.getAll('tickets', 'delivery');
    expect(one.results.at(-1)!.metadata).toEqual({ ticketState: 'CLOSED' });
  });

  it('properties: built-ins the app reads, create with validation, 409 on duplicates', async () => {
    const client = clientFor(sandbox);
    const all = await client.crm.properties.coreApi.getAll('contacts');
    const names = all.results.map((p) => p.name);
    for (const n of [
      'email',
      'lifecyclestage',
      'hubspot_owner_id',
      'hs_analytics_source',
      'createdate',
      'hs_lifecyclestage_customer_date',
    ]) {
      expect(names).toContain(n);
    }
    const dealProps = (await client.crm.properties.coreApi.getAll('deals')).results.map((p) => p.name);
    for (const n of [
      'dealstage',
      'amount',
      'closedate',
      'pipeline',
      'hs_date_entered_closedwon',
      'hs_v2_date_entered_closedwon',
    ]) {
      expect(dealProps).toContain(n);
    }
    const stage = await client.crm.properties.coreApi.getByName('deals', 'dealstage');
    expect(stage.options.map((o) => o.value)).toContain('closedwon');

    const group = await client.crm.properties.groupsApi.create('contacts', {
      name: 'closed_loop',
      label: 'Closed-loop reporting',
      displayOrder: 3,
    });
    expect(group).toMatchObject({
      name: 'closed_loop',
      label: 'Closed-loop reporting',
      displayOrder: 3,
      archived: false,
    });
    const dupGroup = await failure(
      client.crm.properties.groupsApi.create('contacts', { name: 'closed_loop', label: 'Again' }),
    );
    expect(dupGroup.code).toBe(409);

    const created = await client.crm.properties.coreApi.create('contacts', {
      name: 'clr_icp_tier',
      label: 'ICP tier',
      type: 'enumeration' as never,
      fieldType: 'select' as never,
      groupName: 'closed_loop',
      options: [{ label: 'Tier 1', value: 'tier_1', hidden: false, displayOrder: 0 }],
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.hubspotDefined).toBe(false);
    const dup = await failure(
      client.crm.properties.coreApi.create('contacts', {
        name: 'clr_icp_tier',
        label: 'x',
        type: 'string' as never,
        fieldType: 'text' as never,
        groupName: 'closed_loop',
      }),
    );
    expect(dup.code).toBe(409);
    const badCombination = await failure(
      client.crm.properties.coreApi.create('contacts', {
        name: 'clr_x',
        label: 'x',
        type: 'number' as never,
        fieldType: 'select' as never,
        groupName: 'closed_loop',
      }),
    );
    expect(badCombination.code).toBe(400);
    const noGroup = await failure(
      client.crm.properties.coreApi.create('contacts', {
        name: 'clr_y',
        label: 'y',
        type: 'string' as never,
        fieldType: 'text' as never,
        groupName: 'nope',
      }),
    );
    expect(noGroup.code).toBe(400);

    // the fixture's values for the property were there before the definition; now writes validate against it
    const write = await failure(
      client.crm.contacts.batchApi.update({ inputs: [{ id: '1040', properties: { clr_icp_tier: 'tier_9' } }] }),
    );
    expect(String(write.body.message)).toContain('INVALID_OPTION');
    const exported = sandbox.exportFixture();
    expect(exported.properties?.contacts?.map((p) => p.name)).toEqual(['clr_icp_tier']);
    expect(exported.propertyGroups?.contacts?.map((g) => g.name)).toEqual(['closed_loop']);
  });

  it('owners: paged, filtered by email', async () => {
    const client = clientFor(sandbox);
    const fixture = demoFixtureJson();
    const first = await client.crm.owners.ownersApi.getPage(undefined, undefined, 2);
    expect(first.results).toHaveLength(2);
    expect(first.results[0]!.createdAt).toBeInstanceOf(Date);
    const rest = await client.crm.owners.ownersApi.getPage(undefined, first.paging!.next!.after, 2);
    expect([...first.results, ...rest.results].map((o) => o.id)).toEqual(fixture.owners!.map((o) => o.id).sort());
    const byEmail = await client.crm.owners.ownersApi.getPage(fixture.owners![1]!.email);
    expect(byEmail.results.map((o) => o.id)).toEqual([fixture.owners![1]!.id]);
  });

  it('owners: a deactivated user is listed only with archived=true, without userId', async () => {
    const client = clientFor(sandbox);
    const put = await fetch(`${sandbox.url}/__sandbox/owners/599`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'gone@example.com', firstName: 'Gone', userId: 9599, archived: true }),
    });
    expect(put.status).toBe(200);
    const active = await client.crm.owners.ownersApi.getPage(undefined, undefined, 500);
    expect(active.results.map((o) => o.id)).not.toContain('599');
    expect(active.results.every((o) => o.archived === false && typeof o.userId === 'number')).toBe(true);

    const archived = await client.crm.owners.ownersApi.getPage(undefined, undefined, 500, true);
    expect(archived.results.map((o) => o.id)).toEqual(['599']);
    const [gone] = archived.results;
    expect(gone).toMatchObject({ archived: true, email: 'gone@example.com', userIdIncludingInactive: 9599 });
    expect(gone!.userId).toBeUndefined();
    // By id: found only when archived=true is asked for, as the listing.
    expect((await failure(client.crm.owners.ownersApi.getById(599))).code).toBe(404);
    expect((await client.crm.owners.ownersApi.getById(599, 'id', true)).archived).toBe(true);
  });

  it('events: by object, type and time, paged', async () => {
    const client = clientFor(sandbox);
    const fixture = demoFixtureJson();
    const contactId = fixture.events![0]!.objectId;
    const expected = fixture.events!.filter((e) => e.objectId === contactId);
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await client.events.eventsApi.getPage(
        'contact',
        undefined,
        after,
        undefined,
        2,
        undefined,
        undefined,
        undefined,
        Number(contactId),
      );
      for (const e of page.results) {
        expect(e.occurredAt).toBeInstanceOf(Date);
        expect(e.objectType).toBe('CONTACT');
        seen.push(e.id);
      }
      after = page.paging?.next?.after;
    } while (after);
    expect(seen.sort()).toEqual(expected.map((e) => e.id).sort());

    const cut = new Date('2026-01-01T00:00:00Z');
    const forms = await client.events.eventsApi.getPage(
      'contact',
      'e_submitted_form',
      undefined,
      undefined,
      1000,
      ['occurredAt'],
      cut,
    );
    expect(forms.results.length).toBe(
      fixture.events!.filter((e) => e.eventType === 'e_submitted_form' && Date.parse(e.occurredAt) > cut.getTime())
        .length,
    );
    const times = forms.results.map((e) => e.occurredAt.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasksOf } from '../../server/sandbox/tasks/task-store.ts';
import type { Sandbox } from '../../server/sandbox/server.ts';
import { clientFor, failure, startDemo } from './helpers.ts';

/** The tasks object as the app's digest uses it: create with associations, batch create, read, list, search. */

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startDemo();
});
afterAll(() => sandbox.close());

const due = '2026-11-05T07:00:00.000Z';
const association = (id: string, associationTypeId: number) => ({
  to: { id },
  types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId }],
});

describe('CRM tasks v3, through the SDK', () => {
  it('creates a task with associations (201) and reads it back with them', async () => {
    const client = clientFor(sandbox);
    const before = sandbox.writes.size;
    const created = await client.crm.objects.tasks.basicApi.create({
      properties: {
        hs_timestamp: String(Date.parse(due)),
        hs_task_subject: 'Fix the amounts',
        hs_task_body: '<p>Three deals</p>',
        hubspot_owner_id: '501',
        hs_task_status: 'NOT_STARTED',
        hs_task_priority: 'HIGH',
        hs_task_type: 'TODO',
      },
      associations: [
        association('1040', 204),
        association('1000', 192),
        association('1057', 216),
        association('1149', 230),
      ],
    } as never);
    expect(created.id).toMatch(/^\d+$/);
    expect(created.createdAt).toBeInstanceOf(Date);
    // Epoch milliseconds are stored as HubSpot stores datetimes.
    expect(created.properties).toMatchObject({
      hs_timestamp: due,
      hs_task_subject: 'Fix the amounts',
      hubspot_owner_id: '501',
      hs_object_id: created.id,
    });
    const write = sandbox.writes.list({ since: before }).at(-1)!;
    expect(write).toMatchObject({ method: 'POST', path: '/crm/v3/objects/tasks', status: 201, kind: 'write' });

    const read = await client.crm.objects.tasks.basicApi.getById(
      created.id,
      ['hs_task_subject', 'hs_task_priority'],
      undefined,
      ['contacts', 'companies', 'deals', 'tickets'],
    );
    expect(read.properties).toMatchObject({ hs_task_subject: 'Fix the amounts', hs_task_priority: 'HIGH' });
    const linked = Object.fromEntries(
      Object.entries(read.associations ?? {}).map(([type, page]) => [type, page.results.map((r) => [r.id, r.type])]),
    );
    expect(linked).toEqual({
      contacts: [['1040', 'task_to_contact']],
      companies: [['1000', 'task_to_company']],
      deals: [['1057', 'task_to_deal']],
      tickets: [['1149', 'task_to_ticket']],
    });
  });

  it('batch-creates, lists in id order with paging, and finds tasks by owner and subject', async () => {
    const client = clientFor(sandbox);
    const batch = await client.crm.objects.tasks.batchApi.create({
      inputs: ['502', '503'].map((owner) => ({
        properties: { hs_timestamp: due, hs_task_subject: `Digest for ${owner}`, hubspot_owner_id: owner },
        associations: [association('1083', 216)],
      })),
    } as never);
    expect(batch.status).toBe('COMPLETE');
    expect(batch.results.map((t) => t.properties.hubspot_owner_id).sort()).toEqual(['502', '503']);

    const first = await client.crm.objects.tasks.basicApi.getPage(2);
    expect(first.results).toHaveLength(2);
    const rest = await client.crm.objects.tasks.basicApi.getPage(2, first.paging!.next!.after);
    const ids = [...first.results, ...rest.results].map((t) => Number(t.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids).toHaveLength(tasksOf(sandbox.store).byId.size);
    expect(rest.paging).toBeUndefined();

    const found = await client.crm.objects.tasks.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            { propertyName: 'hubspot_owner_id', operator: 'EQ', value: '503' },
            { propertyName: 'hs_task_subject', operator: 'EQ', value: 'digest for 503' },
          ],
        },
      ],
      properties: ['hs_task_subject'],
      limit: 10,
    } as never);
    expect(found.total).toBe(1);
    expect(found.results[0]!.properties.hs_task_subject).toBe('Digest for 503');
    const none = await client.crm.objects.tasks.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'hubspot_owner_id', operator: 'EQ', value: '999' }] }],
    } as never);
    expect(none.total).toBe(0);
  });

  it('refuses what HubSpot refuses, and creates nothing then', async () => {
    const client = clientFor(sandbox);
    const count = tasksOf(sandbox.store).byId.size;
    const missingDue = await failure(
      client.crm.objects.tasks.basicApi.create({ properties: { hs_task_subject: 'No due date' } } as never),
    );
    expect(missingDue).toMatchObject({
      code: 400,
      body: {
        category: 'VALIDATION_ERROR',
        message: 'Error creating TASK. Some required properties were not set.',
        context: { properties: ['hs_timestamp'] },
      },
    });
    const badOwner = await failure(
      client.crm.objects.tasks.basicApi.create({ properties: { hs_timestamp: due, hubspot_owner_id: '999' } } as never),
    );
    expect(badOwner.code).toBe(400);
    expect(String(badOwner.body.message)).toContain('INVALID_OPTION');
    const unknownRecord = await failure(
      client.crm.objects.tasks.basicApi.create({
        properties: { hs_timestamp: due },
        associations: [association('424242', 204)],
      } as never),
    );
    expect(unknownRecord).toMatchObject({
      code: 400,
      body: {
        message: 'One or more associations are invalid',
        context: { INVALID_OBJECT_IDS: ['CONTACT=424242 is not valid'] },
      },
    });
    const noScope = await failure(
      clientFor(sandbox, sandbox.issueAccessToken(['crm.objects.contacts.read'])).crm.objects.tasks.basicApi.create({
        properties: { hs_timestamp: due },
      } as never),
    );
    expect(noScope).toMatchObject({ code: 403, body: { category: 'MISSING_SCOPES' } });
    const batchWithOneBad = await failure(
      client.crm.objects.tasks.batchApi.create({
        inputs: [{ properties: { hs_timestamp: due } }, { properties: { hs_task_subject: 'no due' } }],
      } as never),
    );
    expect(batchWithOneBad.code).toBe(400);
    expect(tasksOf(sandbox.store).byId.size).toBe(count);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { smallFixture } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ fixture: smallFixture() });
});
afterAll(() => sandbox.close());

type Answer = { status: number; body: { message?: string; id?: string; mergedObjectIds?: string[] } | undefined };

async function control(method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    body: response.status === 204 ? undefined : ((await response.json()) as Answer['body']),
  };
}

describe('the control API: people’s changes in the portal', () => {
  it('bulk-edits records, sharing one instant while the clock is frozen', async () => {
    await control('POST', '/clock', { freeze: true });
    const edited = await control('POST', '/objects/contacts/batch', {
      inputs: [
        { id: '101', properties: { firstname: 'Elias' } },
        { id: 102, properties: { firstname: 'Moe' } },
      ],
    });
    await control('POST', '/clock', { freeze: false });
    expect(edited).toEqual({ status: 200, body: { inputs: 2, changed: 2 } });
    const [a, b] = ['101', '102'].map((id) => sandbox.store.get('contacts', id)!);
    expect(a!.properties.get('firstname')).toBe('Elias');
    expect(a!.updatedAt).toBe(b!.updatedAt);
  });

  it('refuses a bulk edit naming an unknown record or property, writing nothing', async () => {
    const unknown = await control('POST', '/objects/contacts/batch', {
      inputs: [
        { id: '101', properties: { firstname: 'Never' } },
        { id: '999', properties: { firstname: 'X' } },
      ],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body?.message).toContain('inputs[1]');
    const invalid = await control('POST', '/objects/contacts/batch', {
      inputs: [{ id: '101', properties: { no_such_property: 'x' } }],
    });
    expect(invalid.status).toBe(400);
    expect(sandbox.store.get('contacts', '101')!.properties.get('firstname')).toBe('Elias');
  });

  it('deletes (recycle bin) and merges as a user, and records events', async () => {
    expect((await control('DELETE', '/objects/deals/301')).status).toBe(204);
    expect(sandbox.store.get('deals', '301')!.archived).toBe(true);
    expect((await control('DELETE', '/objects/deals/301')).status).toBe(404);
    const merged = await control('POST', '/objects/contacts/merge', { primaryObjectId: '101', objectIdToMerge: '102' });
    expect(merged.status).toBe(200);
    expect(merged.body?.mergedObjectIds).toEqual(['101', '102']);
    expect(sandbox.store.get('contacts', '102')!.id).toBe(merged.body?.id);
    const event = {
      id: 'ev-new',
      eventType: 'e_visited_page',
      objectType: 'contacts',
      objectId: merged.body?.id,
      occurredAt: '2026-11-02T00:00:00.000Z',
    };
    expect(await control('POST', '/events', { events: [event] })).toEqual({ status: 200, body: { added: 1 } });
    expect(sandbox.store.sortedEvents().at(-1)!.id).toBe('ev-new');
  });

  it('adds owners and pipeline stages that records may then name; says what is wrong with a bad body', async () => {
    expect((await control('PUT', '/owners/777', { email: 'new@example.com' })).status).toBe(200);
    const pipeline = sandbox.store.pipelines.deals[0]!;
    const stages = [...pipeline.stages, { id: 'legal', label: 'Legal', displayOrder: 9 }];
    expect((await control('PUT', `/pipelines/deals/${pipeline.id}`, { ...pipeline, stages })).status).toBe(200);
    const edit = await control('POST', '/objects/contacts/101', { properties: { hubspot_owner_id: '777' } });
    expect(edit.status).toBe(200);
    const bad = await control('PUT', '/owners/778', { firstName: 'No email' });
    expect(bad.status).toBe(400);
    expect(bad.body?.message).toContain('owner.email');
    expect((await control('PUT', '/pipelines/contacts/x', { label: 'x', displayOrder: 0, stages: [] })).status).toBe(
      400,
    );
  });
});

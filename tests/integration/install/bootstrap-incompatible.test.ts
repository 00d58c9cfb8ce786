import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';

const db = useTestDatabase();
let sandbox: Sandbox;
let app: AppUnderTest;

// The portal already has a `clr_compliance_score` on deals, made by someone else as a text field.
const existing = {
  name: 'clr_compliance_score',
  label: 'Compliance score (ours)',
  type: 'string',
  fieldType: 'text',
  groupName: 'dealinformation',
};

beforeAll(async () => {
  const fixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as Record<string, unknown>;
  sandbox = await startSandbox({ fixture: { ...fixture, properties: { deals: [existing] } } });
  app = await startApp({ databaseUrl: db.url, hubspotUrl: sandbox.url });
});
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
});

describe('property bootstrap', () => {
  it('leaves a property of another type alone and tells the admin, while creating the rest', async () => {
    const landing = await (await browse(`${app.url}/oauth/install`)).at(-1)!.text();
    expect(landing).toContain('deals.clr_compliance_score (is string, Closed Loop needs number)');
    const deals = sandbox.exportFixture().properties?.deals ?? [];
    expect(deals.find((p) => p.name === 'clr_compliance_score')).toMatchObject({
      type: 'string',
      label: existing.label,
    });
    expect(deals.find((p) => p.name === 'clr_compliance_status')).toMatchObject({
      type: 'enumeration',
      groupName: 'closed_loop',
    });
    const contacts = sandbox.exportFixture().properties?.contacts ?? [];
    expect(contacts.find((p) => p.name === 'clr_compliance_score')).toMatchObject({ type: 'number' });
  });
});

import { Client } from '@hubspot/api-client';
import { readFileSync } from 'node:fs';
import { FIXTURE_FORMAT, type FixtureInput } from '../../server/sandbox/fixture.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../server/sandbox/server.ts';

/** The conformance suite drives the sandbox only through the real @hubspot/api-client. */

export const DEMO_FIXTURE_PATH = 'tests/fixtures/demo-portal.json';
export const demoFixtureJson = (): FixtureInput => JSON.parse(readFileSync(DEMO_FIXTURE_PATH, 'utf8')) as FixtureInput;

export function startDemo(options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  return startSandbox({ fixture: DEMO_FIXTURE_PATH, ...options });
}

/** A client against the sandbox: the SDK's own `basePath` option, nothing else. */
export function clientFor(sandbox: Sandbox, accessToken = sandbox.issueAccessToken()): Client {
  return new Client({ accessToken, basePath: sandbox.url });
}

/** What the SDK threw: its ApiException carries the HTTP code and the parsed error body. */
export async function failure(promise: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: number; body?: Record<string, unknown> };
    if (typeof e.code === 'number') return { code: e.code, body: e.body ?? {} };
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A portal with `n` contacts, for the limits that need many records. */
export function manyContacts(n: number, start = Date.parse('2026-01-01T00:00:00Z')): FixtureInput {
  const contacts = Array.from({ length: n }, (_, i) => {
    const at = new Date(start + i * 60_000).toISOString();
    return {
      id: String(100_000 + i),
      createdAt: at,
      updatedAt: at,
      archived: false,
      properties: { email: `c${i}@example.com`, firstname: `C${i}`, lifecyclestage: i % 2 ? 'lead' : 'customer' },
    };
  });
  return {
    format: FIXTURE_FORMAT,
    portalId: 77,
    now: '2026-11-01T00:00:00.000Z',
    owners: [{ id: '501', email: 'ana@example.com', firstName: 'Ana', lastName: 'Ruiz' }],
    objects: { contacts },
  };
}

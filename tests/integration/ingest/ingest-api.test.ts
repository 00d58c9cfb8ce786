import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../../server/db/repositories/api-keys.ts';
import { ensureFirstDefinitions } from '../../../server/db/repositories/definitions.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { createApiKey } from '../../../server/ingest/api-key.ts';
import { startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { runNodeScript } from '../../helpers/processes.ts';

const db = useTestDatabase();
const fixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as {
  ingest: { touches: Record<string, unknown>[]; spend: Record<string, unknown>[] };
};
// The demo sends ingest touch i with the id `ingest-<i>` (the fixture format's rule).
const touches = fixture.ingest.touches.map((t, i) => ({ id: `ingest-${i}`, ...t }));
const A = 501;
const B = 502;
let app: AppUnderTest;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  app = await startApp({
    databaseUrl: db.url,
    hubspotUrl: 'http://127.0.0.1:9',
    env: { INGEST_RATE_LIMIT_PER_MINUTE: '30' },
  });
  for (const portalId of [A, B]) {
    await db.pool.query(`INSERT INTO portals (portal_id) VALUES ($1)`, [portalId]);
    await ensureFirstDefinitions(db.pool, portalId, DEFAULT_DEFINITIONS);
  }
  keyA = (await createApiKey(db.pool, A, { label: 'test', createdBy: 'test' })).key;
  keyB = (await createApiKey(db.pool, B, { label: 'test', createdBy: 'test' })).key;
});
afterAll(async () => {
  await app?.close();
});

const post = (path: string, body: unknown, key?: string) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const stored = async (portalId: number) =>
  Number(
    (await db.pool.query(`SELECT count(*) AS n FROM ingested_touches WHERE portal_id = $1`, [portalId])).rows[0].n,
  );

describe('ingest API', () => {
  it('refuses requests without a valid key and stores nothing', async () => {
    expect((await post('/ingest/v1/touches', { touches })).status).toBe(401);
    expect((await post('/ingest/v1/touches', { touches }, 'clk_0000000000000000_' + 'x'.repeat(43))).status).toBe(401);
    expect(
      (await post('/ingest/v1/touches', { touches }, keyA.slice(0, -1) + (keyA.endsWith('a') ? 'b' : 'a'))).status,
    ).toBe(401);
    const revoked = await createApiKey(db.pool, A, { label: 'old', createdBy: 'test' });
    await revokeApiKey(db.pool, A, revoked.id);
    expect((await post('/ingest/v1/touches', { touches }, revoked.key)).status).toBe(401);
    expect(await stored(A)).toBe(0);
  });

  it("stores the demo's offline touches once, however often they are sent", async () => {
    const first = await post('/ingest/v1/touches', { touches }, keyA);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, data: { received: 12, stored: 12, alreadyStored: 0 } });
    const replay = await post('/ingest/v1/touches', { touches }, keyA);
    expect(await replay.json()).toEqual({ ok: true, data: { received: 12, stored: 0, alreadyStored: 12 } });
    expect(await stored(A)).toBe(12);
    // Emails are kept in the form the policy matches contacts by: trimmed and lower-cased.
    const padded = await db.pool.query(
      `SELECT contact_email FROM ingested_touches WHERE portal_id = $1 AND id = 'ingest-2'`,
      [A],
    );
    expect(padded.rows).toEqual([{ contact_email: 'gus.tanaka14@umbrella0.example.com' }]);
  });

  it('refuses a batch with bad rows whole, naming each row and why', async () => {
    const batch = [
      { id: 'n-0', occurredAt: '2026-10-01T10:00:00Z', channel: 'events', contactEmail: 'ok@example.com' },
      { id: 'n-1', occurredAt: 'yesterday', channel: 'events', contactEmail: 'a@example.com' },
      { id: 'n-2', occurredAt: '2026-10-01T10:00:00Z', channel: 'events' },
      { id: 'n-3', occurredAt: '2026-10-01T10:00:00Z', channel: 'Trade shows', contactId: '1040' },
    ];
    const schema = await post('/ingest/v1/touches', { touches: batch }, keyA);
    expect(schema.status).toBe(400);
    const body = (await schema.json()) as { error: { message: string; problems: { index: number; path: string }[] } };
    expect(body.error.message).toBe('2 row(s) are invalid; nothing was stored');
    expect(body.error.problems.map((p) => p.index).sort()).toEqual([1, 2]);
    const channel = await post('/ingest/v1/touches', { touches: [batch[0], batch[3]] }, keyA);
    expect(channel.status).toBe(400);
    expect(await channel.json()).toMatchObject({ error: { problems: [{ index: 1, path: 'channel' }] } });
    expect(await stored(A)).toBe(12);
  });

  it('refuses malformed JSON, oversized bodies and too many rows with a clear 4xx', async () => {
    expect((await post('/ingest/v1/touches', '{"touches": [', keyA)).status).toBe(400);
    const huge = {
      touches: [
        {
          id: 'x',
          occurredAt: '2026-10-01T10:00:00Z',
          channel: 'events',
          contactEmail: 'a@example.com',
          campaignId: 'c'.repeat(1_100_000),
        },
      ],
    };
    expect((await post('/ingest/v1/touches', huge, keyA)).status).toBe(413);
    const many = Array.from({ length: 5_001 }, (_, i) => ({
      id: `m-${i}`,
      occurredAt: '2026-10-01T10:00:00Z',
      channel: 'events',
      contactId: 1,
    }));
    const tooMany = await post('/ingest/v1/touches', { touches: many }, keyA);
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(await tooMany.json())).toContain('at most 5000 rows');
    expect(await stored(A)).toBe(12);
  });

  it("keeps portals apart: a key writes only its own portal's rows and can't claim another", async () => {
    const claim = await post('/ingest/v1/touches', { portalId: A, touches }, keyB);
    expect(claim.status).toBe(403);
    expect(await stored(B)).toBe(0);
    expect((await post('/ingest/v1/touches', { touches }, keyB)).status).toBe(200);
    expect(await stored(B)).toBe(12);
    expect(await stored(A)).toBe(12);
  });

  it('stores monthly spend, a resend replacing the figure rather than adding to it', async () => {
    const spend = fixture.ingest.spend;
    const response = await post('/ingest/v1/spend', { spend }, keyA);
    expect(response.status).toBe(200);
    await post('/ingest/v1/spend', { spend }, keyA);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n, sum(cents)::bigint AS cents FROM ad_spend WHERE portal_id = $1`,
      [A],
    );
    expect(rows[0]).toEqual({ n: spend.length, cents: spend.reduce((sum, s) => sum + Number(s.cents), 0) });
  });

  it('limits the rate per key', async () => {
    const limited = await createApiKey(db.pool, B, { label: 'rate', createdBy: 'test' });
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await post('/ingest/v1/spend', { spend: [] }, limited.key)).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
  });

  it('creates a key from the command line for an installed portal', async () => {
    const env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent' };
    const made = await runNodeScript('server/cli/create-ingest-key.ts', env, [
      '--portal',
      String(A),
      '--label',
      'warehouse export',
    ]);
    expect(made.code, made.stderr).toBe(0);
    const key = made.stdout.trim();
    expect(key).toMatch(/^clk_[a-f0-9]{16}_/);
    expect((await post('/ingest/v1/touches', { touches: touches.slice(0, 1) }, key)).status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../server/sandbox/server.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { startLivePortal, type LivePortal } from '../../helpers/live-portal.ts';
import { waitFor } from '../queue/helpers/wait-for.ts';

/**
 * The loop without anyone asking: install → full sync → whole-portal hygiene and attribution (queued by
 * the sync), then a user's edit in HubSpot → webhook → drain → only the changed records re-evaluated
 * and re-attributed, by the change consumers the drain queued.
 */
const db = useTestDatabase();
let sandbox: Sandbox;
let live: LivePortal;

const completed = async (name: string) =>
  (
    await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM job_intents WHERE name = $1 AND status = 'completed'`,
      [name],
    )
  ).rows[0]!.n;
const openCodes = async (objectType: string, id: number) =>
  (
    await db.pool.query<{ code: string }>(
      `SELECT code FROM findings WHERE object_type = $1 AND object_id = $2 AND resolved_at IS NULL ORDER BY code`,
      [objectType, id],
    )
  ).rows.map((r) => r.code);

beforeAll(async () => {
  live = await startLivePortal(db.url, 'tests/fixtures/demo-portal.json');
  ({ sandbox } = live);
  await waitFor(
    'the whole-portal runs after the first sync',
    async () => (await completed('hygiene.evaluate')) === 1 && (await completed('attribution.compute')) === 1,
    { timeoutMs: 90_000 },
  );
}, 120_000);
afterAll(async () => {
  await live?.close();
});

describe('a change in HubSpot', () => {
  it('is re-evaluated and re-attributed on its own, without another whole-portal run', async () => {
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id FROM contacts WHERE lifecyclestage = 'lead' AND NOT archived ORDER BY id LIMIT 1`,
    );
    const id = Number(rows[0]!.id);
    const before = await openCodes('contact', id);
    expect(before.some((code) => code.startsWith('stage_gap:'))).toBe(false);

    // Straight from lead to opportunity: MQL and SQL are skipped.
    const edit = await fetch(`${sandbox.url}/__sandbox/objects/contacts/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { lifecyclestage: 'opportunity' } }),
    });
    expect(edit.status).toBe(200);
    await sandbox.plugins.webhooks()!.drain();

    await waitFor(
      'the skip in the issue log',
      async () => (await openCodes('contact', id)).some((code) => code.startsWith('stage_gap:')),
      { timeoutMs: 30_000 },
    );
    await waitFor('attribution to catch up', async () => (await completed('attribution.changes')) >= 1);
    expect(await completed('hygiene.evaluate')).toBe(1);
    expect(await completed('attribution.compute')).toBe(1);
    const pending = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM record_changes r JOIN change_cursors c USING (portal_id)
        WHERE r.id > c.last_change_id`,
    );
    expect(pending.rows[0]!.n).toBe(0);
  });
});

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attributePendingChanges } from '../../../server/attribution/attribute-changes.ts';
import { attributePortal } from '../../../server/attribution/attribute-portal.ts';
import { ensureFirstDefinitions } from '../../../server/db/repositories/definitions.ts';
import { pendingChanges } from '../../../server/db/repositories/record-changes.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { evaluatePendingChanges, type ChangesSummary } from '../../../server/hygiene/evaluate-changes.ts';
import { evaluatePortalHygiene } from '../../../server/hygiene/evaluate-portal.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { seedMirror, type MirrorFixture } from '../../helpers/seed-mirror.ts';

/**
 * The incremental runs (hygiene and attribution over the change log) must leave exactly what a
 * whole-portal run leaves, while reading only what changed and what depends on it.
 */
const db = useTestDatabase();
const fixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as MirrorFixture & { now: string };
const portalId = fixture.portalId;
const now = new Date(fixture.now);
const total = Object.values(fixture.objects).reduce((n, list) => n + list.length, 0);

async function snapshot() {
  const q = async (sql: string) => (await db.pool.query(sql, [portalId])).rows;
  return {
    findings:
      await q(`SELECT object_type, object_id, code, field, severity, owner_email, proposed_fix, resolved_at IS NULL AS open
                         FROM findings WHERE portal_id = $1 ORDER BY object_type, object_id, code`),
    computed: await q(`SELECT object_type, object_id, source, properties FROM computed_properties
                        WHERE portal_id = $1 ORDER BY object_type, object_id, source`),
    touches: await q(`SELECT id, source, contact_id, occurred_at, channel, trackable, campaign_id, offer_id, content_id
                        FROM touches WHERE portal_id = $1 ORDER BY id`),
    credits: await q(`SELECT deal_id, model, kind, touch_id, channel, campaign_id, cents, definitions_version
                        FROM attribution_credits WHERE portal_id = $1 ORDER BY deal_id, model, kind, touch_id`),
  };
}

async function setProperties(
  table: 'contacts' | 'deals' | 'tickets',
  id: string,
  patch: Record<string, string | null>,
) {
  // The table name is one of two literals above.
  await db.pool.query(
    `UPDATE ${table} SET properties = properties || $3::jsonb, updated_at = updated_at + interval '1 minute'
      WHERE portal_id = $1 AND id = $2`,
    [portalId, id, JSON.stringify(patch)],
  );
}

const contactsOfDeal = (dealId: string) =>
  fixture.associations
    .filter((a) => a.from.type === 'contacts' && a.to.type === 'deals' && a.to.id === dealId)
    .map((a) => a.from.id);

let hygiene: ChangesSummary;
let before: Awaited<ReturnType<typeof snapshot>>;

beforeAll(async () => {
  await seedMirror(db.pool, fixture);
  await ensureFirstDefinitions(db.pool, portalId, DEFAULT_DEFINITIONS);
  await evaluatePortalHygiene(db.pool, portalId, { now });
  await attributePortal(db.pool, portalId, { now });
  before = await snapshot();

  // What a sync or a webhook batch could write.
  await setProperties('deals', '1148', { clr_contract_id: null, amount: '90000' }); // its tickets read it
  await setProperties('contacts', '1063', { email: 'eli.new@stark30.example.com' }); // leaves a duplicate group as survivor
  await setProperties('contacts', '1045', { email: 'gus.tanaka14@umbrella0.example.com' }); // joins one as the new survivor
  await setProperties('tickets', '1200', { subject: 'Delivery – renamed' }); // its deal is unchanged
  const [dropped] = contactsOfDeal('1057');
  await db.pool.query(
    `DELETE FROM associations WHERE portal_id = $1 AND from_type = 'contacts' AND from_id = $2 AND to_type = 'deals' AND to_id = 1057`,
    [portalId, dropped],
  );
  await db.pool.query(
    `INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id) VALUES ($1, 'contacts', 1040, 'deals', 1057)
     ON CONFLICT DO NOTHING`,
    [portalId],
  );
  await db.pool.query(`UPDATE tickets SET archived = true WHERE portal_id = $1 AND id = 1285`, [portalId]);
  await db.pool.query(
    `INSERT INTO ingested_touches (portal_id, id, occurred_at, channel, campaign_id, contact_email)
     VALUES ($1, 'offline-1', '2026-10-20T10:00:00Z', 'events', 'CMP-X', 'jia.silva2@www.wayne2.example.com')`,
    [portalId],
  );
  await db.pool.query(
    `INSERT INTO hubspot_events (portal_id, id, event_type, object_type, object_id, occurred_at, properties)
     VALUES ($1, 'ev-new-1', 'e_visited_page', 'contacts', 1049, '2026-10-25T09:00:00Z',
             '{"hs_url": "https://example.com/?utm_medium=cpc&utm_source=google&utm_campaign=CMP-NEW"}')`,
    [portalId],
  );
  await db.pool.query(
    `INSERT INTO stage_events (portal_id, object_type, object_id, property, value, occurred_at, source_type)
     VALUES ($1, 'deals', 1083, 'dealstage', 'appointmentscheduled', '2026-10-28T09:00:00Z', 'CRM_UI')`,
    [portalId],
  );

  hygiene = await evaluatePendingChanges(db.pool, portalId, { now });
  await attributePendingChanges(db.pool, portalId, { now });
});

describe('incremental hygiene and attribution', () => {
  it('change something that matters', async () => {
    const after = await snapshot();
    expect(after.findings).not.toEqual(before.findings);
    expect(after.credits).not.toEqual(before.credits);
    expect(after.touches).not.toEqual(before.touches);
  });

  it('evaluate only the changed records and what depends on them', () => {
    expect(hygiene.changed).toBeGreaterThanOrEqual(8);
    expect(hygiene.records).toBeGreaterThan(0);
    expect(hygiene.records).toBeLessThan(total / 4);
  });

  it('leave exactly what whole-portal runs leave', async () => {
    const incremental = await snapshot();
    await evaluatePortalHygiene(db.pool, portalId, { now });
    await attributePortal(db.pool, portalId, { now });
    const full = await snapshot();
    expect(incremental.findings).toEqual(full.findings);
    expect(incremental.computed).toEqual(full.computed);
    expect(incremental.touches).toEqual(full.touches);
    expect(incremental.credits).toEqual(full.credits);
  });

  it('resolve the findings of an archived record, and prune the log once both consumers have read it', async () => {
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM findings WHERE portal_id = $1 AND object_type = 'ticket' AND object_id = 1285
          AND resolved_at IS NULL`,
      [portalId],
    );
    expect(rows[0].n).toBe(0);
    expect(before.findings.some((f) => f.object_type === 'ticket' && Number(f.object_id) === 1285 && f.open)).toBe(
      true,
    );
    expect(await pendingChanges(db.pool, portalId, 'hygiene')).toBe(0);
    expect(await pendingChanges(db.pool, portalId, 'attribution')).toBe(0);
    const left = await db.pool.query(`SELECT count(*)::int AS n FROM record_changes WHERE portal_id = $1`, [portalId]);
    expect(left.rows[0].n).toBe(0);
  });
});

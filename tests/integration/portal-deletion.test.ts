import { describe, expect, it } from 'vitest';
import { deletePortalData } from '../../server/install/delete-portal.ts';
import { useTestDatabase } from '../helpers/database.ts';

const db = useTestDatabase();

/** Every base table of the schema that has a portal_id column, read from the catalog. */
async function portalTables(): Promise<string[]> {
  const { rows } = await db.pool.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND c.column_name = 'portal_id' AND t.table_type = 'BASE TABLE'
        AND c.table_name <> 'deletion_audit'
      ORDER BY 1`,
  );
  return rows.map((r) => r.table_name);
}

async function seedPortal(portalId: number): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => db.pool.query(sql, [portalId, ...params]);
  await q(`INSERT INTO portals (portal_id) VALUES ($1)`);
  await q(
    `INSERT INTO oauth_tokens (portal_id, access_token_enc, refresh_token_enc, key_id, expires_at) VALUES ($1, '\\x00', '\\x00', 'k', now())`,
  );
  await q(`INSERT INTO sync_runs (portal_id, kind) VALUES ($1, 'full')`);
  await q(`INSERT INTO sync_checkpoints (portal_id, stream, cursor) VALUES ($1, 'contacts', '{}')`);
  for (const table of ['contacts', 'companies', 'deals', 'tickets']) {
    // Table names come from the fixed list above, never from input.
    await db.pool.query(`INSERT INTO ${table} (portal_id, id, created_at, updated_at) VALUES ($1, 1, now(), now())`, [
      portalId,
    ]);
  }
  await q(
    `INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id) VALUES ($1, 'contacts', 1, 'deals', 1)`,
  );
  await q(`INSERT INTO owners (portal_id, id) VALUES ($1, '501')`);
  await q(`INSERT INTO pipelines (portal_id, object_type, id, label) VALUES ($1, 'deals', 'default', 'Sales')`);
  await q(
    `INSERT INTO stage_events (portal_id, object_type, object_id, property, value, occurred_at) VALUES ($1, 'deals', 1, 'dealstage', 'closedwon', now())`,
  );
  await q(
    `INSERT INTO touches (portal_id, id, source, contact_id, occurred_at, channel, trackable) VALUES ($1, 'ev-1', 'hubspot_event', 1, now(), 'email', true)`,
  );
  await q(`INSERT INTO ad_spend (portal_id, month, channel, cents) VALUES ($1, '2026-09-01', 'paid_search', 100)`);
  await q(
    `INSERT INTO definitions_versions (portal_id, version, document, author, reason) VALUES ($1, 1, '{}', 'install', 'default')`,
  );
  await q(
    `INSERT INTO findings (portal_id, object_type, object_id, code, severity, proposed_fix, definitions_version, first_seen_at, last_seen_at) VALUES ($1, 'deals', 1, 'missing_field:amount', 'error', 'Set amount', 1, now(), now())`,
  );
  await q(
    `INSERT INTO attribution_credits (portal_id, deal_id, model, kind, touch_id, channel, cents, definitions_version) VALUES ($1, 1, 'linear', 'pipeline', 'ev-1', 'email', 100, 1)`,
  );
  await q(
    `INSERT INTO writeback_ledger (portal_id, object_type, object_id, property, value_hash) VALUES ($1, 'deals', 1, 'clr_compliance_status', 'h')`,
  );
  await q(
    `INSERT INTO webhook_inbox (portal_id, event_id, subscription, occurred_at, payload) VALUES ($1, 'e1', 'deal.creation', now(), '{}')`,
  );
  await q(`INSERT INTO webhook_deliveries (portal_id, events, event_count) VALUES ($1, '[{"eventId":1}]', 1)`);
  await q(
    `INSERT INTO job_intents (id, portal_id, queue, name, payload) VALUES ('job-' || $1::text, $1::bigint, 'sync', 'sync.full', '{}')`,
  );
  await q(
    `INSERT INTO hubspot_events (portal_id, id, event_type, object_type, object_id, occurred_at) VALUES ($1, 'ev-1', 'e_visited_page', 'contacts', 1, now())`,
  );
  await q(
    `INSERT INTO computed_properties (portal_id, object_type, object_id, source, properties, computed_at) VALUES ($1, 'deals', 1, 'hygiene', '{}', now())`,
  );
  await q(
    `INSERT INTO api_keys (portal_id, id, secret_hash, label, created_by) VALUES ($1::bigint, 'k' || $1::text, '\\x00', 'test', 'test')`,
  );
  await q(
    `INSERT INTO ingested_touches (portal_id, id, occurred_at, channel, contact_email) VALUES ($1, 'ingest-0', now(), 'events', 'a@example.com')`,
  );
  await q(
    `INSERT INTO job_schedules (portal_id, key, queue, name, every_ms) VALUES ($1, 'incremental', 'sync', 'sync.incremental', 900000)`,
  );
  await q(
    `INSERT INTO checklist_items (portal_id, object_type, object_id, checklist, item, done_by_user_id, done_at) VALUES ($1, 'tickets', 1, 'handoff', 'scope_confirmed', 7, now())`,
  );
  await q(
    `INSERT INTO card_writes (portal_id, object_type, object_id, action, property, new_value, user_id) VALUES ($1, 'deals', 1, 'fill_field', 'amount', '10', 7)`,
  );
  await q(
    `INSERT INTO digests (portal_id, week, generated_at, definitions_version, body) VALUES ($1, '2026-W07', now(), 1, '{}')`,
  );
  await q(
    `INSERT INTO digest_tasks (portal_id, week, owner_id, subject, findings, request) VALUES ($1, '2026-W07', '501', 'Digest', 1, '{}')`,
  );
  await q(
    `INSERT INTO kpi_snapshots (portal_id, month, taken_at, definitions_version, kpis, decisions) VALUES ($1, '2026-02', now(), 1, '{}', '{}')`,
  );
  await q(
    `INSERT INTO decisions (portal_id, topic, subject_kind, subject_key, owner, due_on, created_at, updated_at) VALUES ($1, 'Review', 'definitions', 'definitions:v1', 'ana', '2026-02-15', now(), now())`,
  );
  await q(`INSERT INTO change_cursors (portal_id, consumer, last_change_id) VALUES ($1, 'hygiene', 1)`);
  await q(
    `INSERT INTO report_records (portal_id, object_type, object_id, stage, created_at) VALUES ($1, 'deals', 1, 'closedwon', now())`,
  );
  await q(
    `INSERT INTO report_stage_entries (portal_id, object_type, object_id, stage, stage_index, entered_at) VALUES ($1, 'deals', 1, 'closedwon', 5, now())`,
  );
  await q(`INSERT INTO report_delivery (portal_id, ticket_id, deal_id, sla_breached) VALUES ($1, 1, 1, false)`);
  await q(
    `INSERT INTO report_refreshes (portal_id, refreshed_at, definitions_version, records) VALUES ($1, now(), 1, 1)`,
  );
  await q(
    `INSERT INTO report_record_scope (portal_id, object_type, object_id, in_scope, duplicate_keyed) VALUES ($1, 'deals', 1, true, false)`,
  );
  await q(
    `INSERT INTO report_sla_clocks (portal_id, object_type, object_id, sla, started_at) VALUES ($1, 'deals', 1, 'deal_stall', now())`,
  );
  await q(`INSERT INTO report_pending (portal_id, object_type, object_id) VALUES ($1, 'deals', 1)`);
  await q(`INSERT INTO portal_admins (portal_id, user_id, added_by) VALUES ($1, 7, 'install')`);
  await q(
    `INSERT INTO admin_sessions (id_hash, portal_id, user_id, via, csrf_token, expires_at) VALUES (sha256(convert_to($1::bigint::text, 'UTF8')), $1::bigint, 7, 'oauth', 'csrf', now() + interval '1 hour')`,
  );
  await q(
    `INSERT INTO admin_link_redemptions (portal_id, nonce, expires_at) VALUES ($1, 'nonce-1', now() + interval '5 minutes')`,
  );
}

describe('portal deletion', () => {
  it('leaves no row of the deleted portal in any table, and keeps the other portal whole', async () => {
    await seedPortal(1);
    await seedPortal(2);
    // Table names below come from the catalog, never from input.
    const tables = await portalTables();
    // Every portal table is seeded, so a table added later without seeding here fails this check.
    for (const table of tables) {
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE portal_id = 1`);
      expect(rows[0].n, `${table} has a row for portal 1 before deletion`).toBeGreaterThan(0);
    }

    const report = await deletePortalData(db.pool, 1, 'uninstalled');

    for (const table of tables) {
      const { rows } = await db.pool.query(
        `SELECT count(*) FILTER (WHERE portal_id = 1)::int AS deleted, count(*) FILTER (WHERE portal_id = 2)::int AS kept FROM ${table}`,
      );
      expect(rows[0], table).toEqual({ deleted: 0, kept: expect.any(Number) });
      expect(rows[0].kept, `${table} still holds portal 2`).toBeGreaterThan(0);
    }
    expect(Object.keys(report.rowCounts).sort()).toEqual([...tables].sort());
    const audit = await db.pool.query(`SELECT portal_id, scope, reason, row_counts FROM deletion_audit`);
    expect(audit.rows).toEqual([
      { portal_id: 1, scope: 'portal', reason: 'uninstalled', row_counts: report.rowCounts },
    ]);
  });
});

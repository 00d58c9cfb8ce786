import { describe, expect, it } from 'vitest';
import { deleteContactData } from '../../server/install/delete-contact.ts';
import { useTestDatabase } from '../helpers/database.ts';

const db = useTestDatabase();

describe('contact privacy deletion (GDPR)', () => {
  it("deletes the contact's rows and what derives from it, keeps everything else, and audits only ids and counts", async () => {
    const q = (sql: string, params: unknown[] = []) => db.pool.query(sql, params);
    await q(`INSERT INTO portals (portal_id) VALUES (1)`);
    for (const id of [101, 102]) {
      await q(
        `INSERT INTO contacts (portal_id, id, properties, created_at, updated_at) VALUES (1, $1, $2, now(), now())`,
        [id, { email: `person${id}@example.com` }],
      );
      await q(
        `INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id) VALUES (1, 'contacts', $1, 'deals', 9)`,
        [id],
      );
      await q(
        `INSERT INTO stage_events (portal_id, object_type, object_id, property, value, occurred_at) VALUES (1, 'contacts', $1, 'lifecyclestage', 'lead', now())`,
        [id],
      );
      await q(
        `INSERT INTO touches (portal_id, id, source, contact_id, occurred_at, channel, trackable) VALUES (1, $1, 'hubspot_event', $2, now(), 'email', true)`,
        [`ev-${id}`, id],
      );
      await q(
        `INSERT INTO attribution_credits (portal_id, deal_id, model, kind, touch_id, channel, cents, definitions_version) VALUES (1, 9, 'linear', 'pipeline', $1, 'email', 50, 1)`,
        [`ev-${id}`],
      );
      await q(
        `INSERT INTO findings (portal_id, object_type, object_id, code, severity, proposed_fix, definitions_version, first_seen_at, last_seen_at) VALUES (1, 'contact', $1, 'missing_field:clr_channel', 'warning', 'Set it', 1, now(), now())`,
        [id],
      );
      await q(
        `INSERT INTO writeback_ledger (portal_id, object_type, object_id, property, value_hash) VALUES (1, 'contact', $1, 'clr_compliance_status', 'h')`,
        [id],
      );
      await q(
        `INSERT INTO webhook_inbox (portal_id, event_id, subscription, object_id, occurred_at, payload) VALUES (1, $1, 'contact.propertyChange', $2, now(), '{}')`,
        [`e-${id}`, id],
      );
      await q(
        `INSERT INTO hubspot_events (portal_id, id, event_type, object_type, object_id, occurred_at) VALUES (1, $1, 'e_visited_page', 'contacts', $2, now())`,
        [`hs-${id}`, id],
      );
      // One offline touch matched by id, one only by the person's email (written differently).
      await q(
        `INSERT INTO ingested_touches (portal_id, id, occurred_at, channel, contact_id) VALUES (1, $1, now(), 'events', $2)`,
        [`by-id-${id}`, id],
      );
      await q(
        `INSERT INTO ingested_touches (portal_id, id, occurred_at, channel, contact_email) VALUES (1, $1, now(), 'events', $2)`,
        [`by-email-${id}`, ` Person${id}@Example.com`],
      );
      await q(
        `INSERT INTO computed_properties (portal_id, object_type, object_id, source, properties, computed_at) VALUES (1, 'contacts', $1, 'hygiene', '{}', now())`,
        [id],
      );
      await q(
        `INSERT INTO card_writes (portal_id, object_type, object_id, action, property, new_value, user_id) VALUES (1, 'contacts', $1, 'accept_lead', 'clr_sal_date', '2026-10-01', 7)`,
        [id],
      );
      await q(
        `INSERT INTO report_records (portal_id, object_type, object_id, stage, created_at) VALUES (1, 'contacts', $1, 'lead', now())`,
        [id],
      );
      await q(
        `INSERT INTO report_stage_entries (portal_id, object_type, object_id, stage, stage_index, entered_at) VALUES (1, 'contacts', $1, 'lead', 1, now())`,
        [id],
      );
      await q(
        `INSERT INTO report_record_scope (portal_id, object_type, object_id, in_scope, duplicate_keyed) VALUES (1, 'contacts', $1, true, true)`,
        [id],
      );
      await q(
        `INSERT INTO report_sla_clocks (portal_id, object_type, object_id, sla, started_at) VALUES (1, 'contacts', $1, 'lead_response', now())`,
        [id],
      );
    }

    const counts = await deleteContactData(db.pool, 1, 101, 'contact.privacyDeletion');

    expect(counts).toEqual({
      attribution_credits: 1,
      touches: 1,
      hubspot_events: 1,
      ingested_touches: 2,
      associations: 1,
      stage_events: 1,
      findings: 1,
      computed_properties: 1,
      writeback_ledger: 1,
      card_writes: 1,
      report_records: 1,
      report_stage_entries: 1,
      report_record_scope: 1,
      report_sla_clocks: 1,
      webhook_inbox: 1,
      contacts: 1,
    });
    // Nothing of the person is left anywhere a contact's data is kept; the other contact keeps all of it.
    for (const table of [
      'hubspot_events',
      'computed_properties',
      'card_writes',
      'report_records',
      'report_stage_entries',
      'report_record_scope',
      'report_sla_clocks',
    ]) {
      const { rows } = await q(
        `SELECT count(*) FILTER (WHERE object_id = 101)::int AS gone, count(*) FILTER (WHERE object_id = 102)::int AS kept FROM ${table}`,
      );
      expect(rows[0], table).toEqual({ gone: 0, kept: 1 });
    }
    const ingested = await q(`SELECT id FROM ingested_touches ORDER BY id`);
    expect(ingested.rows).toEqual([{ id: 'by-email-102' }, { id: 'by-id-102' }]);
    const remaining = await q(`SELECT
      (SELECT count(*) FROM contacts WHERE id = 101)::int AS gone,
      (SELECT count(*) FROM contacts WHERE id = 102)::int AS kept,
      (SELECT count(*) FROM touches)::int AS touches,
      (SELECT count(*) FROM attribution_credits)::int AS credits`);
    expect(remaining.rows[0]).toEqual({ gone: 0, kept: 1, touches: 1, credits: 1 });
    const audit = await q(`SELECT scope, subject_id, row_counts::text AS counts FROM deletion_audit`);
    expect(audit.rows).toEqual([{ scope: 'contact', subject_id: 101, counts: expect.not.stringContaining('@') }]);
  });
});

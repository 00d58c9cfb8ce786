import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attributePendingChanges } from '../../../server/attribution/attribute-changes.ts';
import { attributePortal } from '../../../server/attribution/attribute-portal.ts';
import { appendDefinitionsVersion, ensureFirstDefinitions } from '../../../server/db/repositories/definitions.ts';
import { lastReportingRefresh } from '../../../server/db/repositories/reporting.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { evaluatePendingChanges } from '../../../server/hygiene/evaluate-changes.ts';
import { evaluatePortalHygiene } from '../../../server/hygiene/evaluate-portal.ts';
import { refreshReporting } from '../../../server/reporting/refresh-reporting.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { seedMirror, type MirrorFixture } from '../../helpers/seed-mirror.ts';

/**
 * The reporting refresh re-derives only what changed (the records marked since it last ran, and the
 * tickets whose SLA clock crossed the time in between) and must leave exactly the rows a full rebuild
 * leaves: checked after rounds of random edits of the kinds a sync, a webhook batch, a card or the
 * ingest API write, with hygiene and attribution catching up incrementally in between, as in production.
 */
const db = useTestDatabase();
const fixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as MirrorFixture & { now: string };
const portalId = fixture.portalId;
const start = new Date(fixture.now);
const DAY_MS = 86_400_000;
const liveRecords = Object.values(fixture.objects).reduce((n, list) => n + list.filter((o) => !o.archived).length, 0);

/** Every row of the model, in a stable order and with values as text, so two states compare exactly. */
async function model() {
  const q = async (sql: string) => (await db.pool.query(sql, [portalId])).rows;
  return {
    records: await q(`SELECT object_type, object_id::text, stage, owner_id, lead_channel, icp_tier, product_line,
                             amount_cents::text, created_at, closed_at, company_id::text
                        FROM report_records WHERE portal_id = $1 ORDER BY object_type, object_id`),
    entries: await q(`SELECT object_type, object_id::text, stage, stage_index, entered_at
                        FROM report_stage_entries WHERE portal_id = $1 ORDER BY object_type, object_id, stage`),
    delivery:
      await q(`SELECT ticket_id::text, deal_id::text, lead_channel, onboarding_days::text, change_request_reason,
                              sla_breached
                         FROM report_delivery WHERE portal_id = $1 ORDER BY ticket_id`),
    scope: await q(`SELECT object_type, object_id::text, in_scope, duplicate_keyed, owner_id
                      FROM report_record_scope WHERE portal_id = $1 ORDER BY object_type, object_id`),
    clocks: await q(`SELECT object_type, object_id::text, sla, started_at, breach_at::text
                       FROM report_sla_clocks WHERE portal_id = $1 ORDER BY object_type, object_id, sla`),
    refresh: await q(`SELECT records, touches, trackable_touches FROM report_refreshes WHERE portal_id = $1`),
  };
}

/** mulberry32: a small seeded generator, so a failing round can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DEAL_STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
  'closedwon',
  'closedlost',
];
const TICKET_STAGES = ['onboarding', 'in_delivery', 'results_review'];
const LIFECYCLE = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'];
const REASONS = [null, 'scope_gap_in_discovery', 'new_requirement', 'pricing'];
const CHANNELS = ['paid_search', 'paid_social', 'events', 'email', 'organic_search'];

let counter = 0;

/** One random edit of the kind the app's writers make; returns what it did, for a failing round's message. */
async function randomEdit(pick: () => number): Promise<string> {
  const one = <T>(list: readonly T[]): T => list[Math.floor(pick() * list.length)]!;
  const ids = async (table: string) =>
    (
      await db.pool.query<{ id: number }>(
        // The table name is one of the four mirror tables named below.
        `SELECT id FROM ${table} WHERE portal_id = $1 AND NOT archived ORDER BY id`,
        [portalId],
      )
    ).rows.map((r) => r.id);
  const patch = async (table: string, id: number, properties: Record<string, string | null>) =>
    db.pool.query(`UPDATE ${table} SET properties = properties || $3::jsonb WHERE portal_id = $1 AND id = $2`, [
      portalId,
      id,
      JSON.stringify(properties),
    ]);
  const at = new Date(start.getTime() - Math.floor(pick() * 200) * DAY_MS).toISOString();
  const kind = one([
    'deal_stage',
    'deal_amount',
    'deal_owner',
    'deal_dimensions',
    'deal_archive',
    'deal_delete',
    'deal_new',
    'deal_company',
    'contact_email',
    'contact_stage',
    'contact_company',
    'company_domain',
    'ticket_stage',
    'ticket_reason',
    'ticket_deal',
    'touch',
  ] as const);
  switch (kind) {
    case 'deal_stage': {
      const id = one(await ids('deals'));
      const stage = one(DEAL_STAGES);
      await patch('deals', id, {
        dealstage: stage,
        [`hs_date_entered_${stage}`]: at,
        ...(stage.startsWith('closed') ? { closedate: at } : {}),
      });
      await db.pool.query(
        `INSERT INTO stage_events (portal_id, object_type, object_id, property, value, occurred_at, source_type)
         VALUES ($1, 'deals', $2, 'dealstage', $3, $4, 'CRM_UI') ON CONFLICT DO NOTHING`,
        [portalId, id, stage, at],
      );
      return `${kind} ${id} → ${stage}`;
    }
    case 'deal_amount': {
      const id = one(await ids('deals'));
      await patch('deals', id, { amount: pick() < 0.2 ? null : String(1_000 + Math.floor(pick() * 90_000)) });
      return `${kind} ${id}`;
    }
    case 'deal_owner': {
      const id = one(await ids('deals'));
      await patch('deals', id, { hubspot_owner_id: one(['501', '502', '503', null]) });
      return `${kind} ${id}`;
    }
    case 'deal_dimensions': {
      const id = one(await ids('deals'));
      await patch('deals', id, {
        clr_icp_tier: one(['tier_1', 'tier_2', 'tier_3', null]),
        clr_product_line: one(['security', 'cloud', 'managed_services', null]),
      });
      return `${kind} ${id}`;
    }
    case 'deal_archive': {
      const id = one(await ids('deals'));
      await db.pool.query(`UPDATE deals SET archived = true WHERE portal_id = $1 AND id = $2`, [portalId, id]);
      return `${kind} ${id}`;
    }
    case 'deal_delete': {
      const id = one(await ids('deals'));
      await db.pool.query(`DELETE FROM deals WHERE portal_id = $1 AND id = $2`, [portalId, id]);
      return `${kind} ${id}`;
    }
    case 'deal_new': {
      const id = 900_000 + ++counter;
      const stage = one(DEAL_STAGES);
      await db.pool.query(
        `INSERT INTO deals (portal_id, id, properties, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
        [
          portalId,
          id,
          {
            dealname: `New deal ${id}`,
            pipeline: 'default',
            dealstage: stage,
            createdate: at,
            [`hs_date_entered_${stage}`]: at,
            amount: '42000',
            hubspot_owner_id: '502',
          },
          at,
        ],
      );
      await db.pool.query(
        `INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id) VALUES ($1, 'contacts', $2, 'deals', $3)`,
        [portalId, one(await ids('contacts')), id],
      );
      return `${kind} ${id} at ${stage}`;
    }
    case 'deal_company': {
      const deal = one(await ids('deals'));
      const company = one(await ids('companies'));
      const removed = await db.pool.query(
        `DELETE FROM associations WHERE portal_id = $1 AND from_type = 'companies' AND to_type = 'deals' AND to_id = $2`,
        [portalId, deal],
      );
      if (pick() < 0.7) {
        await db.pool.query(
          `INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id) VALUES ($1, 'companies', $2, 'deals', $3)
           ON CONFLICT DO NOTHING`,
          [portalId, company, deal],
        );
      }
      return `${kind} ${deal} (removed ${removed.rowCount})`;
    }
    case 'contact_email': {
      const contacts = await ids('contacts');
      const id = one(contacts);
      const other = one(contacts);
      const email = (
        await db.pool.query<{ email: string | null }>(
          `SELECT properties ->> 'email' AS email FROM contacts WHERE portal_id = $1 AND id = $2`,
          [portalId, other],
        )
      ).rows[0]?.email;
      await patch('contacts', id, {
        email: pick() < 0.3 ? null : pick() < 0.5 ? (email ?? null) : `c${id}@new.example.com`,
      });
      return `${kind} ${id}`;
    }
    case 'contact_stage': {
      const id = one(await ids('contacts'));
      const stage = one(LIFECYCLE);
      await patch('contacts', id, { lifecyclestage: stage, [`hs_lifecyclestage_${stage}_date`]: at });
      return `${kind} ${id} → ${stage}`;
    }
    case 'contact_company': {
      const contact = one(await ids('contacts'));
      await db.pool.query(
        `DELETE FROM associations WHERE portal_id = $1 AND from_type = 'companies' AND to_type = 'contacts' AND to_id = $2`,
        [portalId, contact],
      );
      if (pick() < 0.8) {
        await db.pool.query(
          `INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id) VALUES ($1, 'companies', $2, 'contacts', $3)`,
          [portalId, one(await ids('companies')), contact],
        );
      }
      return `${kind} ${contact}`;
    }
    case 'company_domain': {
      const id = one(await ids('companies'));
      await patch('companies', id, { domain: pick() < 0.4 ? null : `d${Math.floor(pick() * 5)}.example.com` });
      return `${kind} ${id}`;
    }
    case 'ticket_stage': {
      const id = one(await ids('tickets'));
      const stage = one(TICKET_STAGES);
      await patch('tickets', id, { hs_pipeline_stage: stage, [`hs_v2_date_entered_${stage}`]: at });
      return `${kind} ${id} → ${stage}`;
    }
    case 'ticket_reason': {
      const id = one(await ids('tickets'));
      await patch('tickets', id, { clr_change_request_reason: one(REASONS) });
      return `${kind} ${id}`;
    }
    case 'ticket_deal': {
      const ticket = one(await ids('tickets'));
      const deal = one(await ids('deals'));
      await db.pool.query(
        `INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id) VALUES ($1, 'deals', $2, 'tickets', $3)
         ON CONFLICT DO NOTHING`,
        [portalId, deal, ticket],
      );
      return `${kind} ${ticket} + deal ${deal}`;
    }
    case 'touch': {
      const contact = one(await ids('contacts'));
      await db.pool.query(
        `INSERT INTO ingested_touches (portal_id, id, occurred_at, channel, contact_id) VALUES ($1, $2, $3, $4, $5)`,
        [portalId, `offline-${++counter}`, at, one(CHANNELS), contact],
      );
      return `${kind} contact ${contact}`;
    }
  }
}

/** What the loop does after writes: hygiene and attribution catch up from the change log, then the refresh. */
async function catchUp(now: Date) {
  await evaluatePendingChanges(db.pool, portalId, { now });
  await attributePendingChanges(db.pool, portalId, { now });
  return refreshReporting(db.pool, portalId, { now, batchSize: 7 });
}

beforeAll(async () => {
  await seedMirror(db.pool, fixture);
  await ensureFirstDefinitions(db.pool, portalId, DEFAULT_DEFINITIONS);
  await evaluatePortalHygiene(db.pool, portalId, { now: start });
  await attributePortal(db.pool, portalId, { now: start });
});

describe('the reporting refresh', () => {
  it('reads the whole portal the first time, and only what changed afterwards', async () => {
    const first = await refreshReporting(db.pool, portalId, { now: start });
    expect(first).toMatchObject({ kind: 'full', reason: 'first', rederived: liveRecords });
    const idle = await refreshReporting(db.pool, portalId, { now: start });
    expect(idle).toMatchObject({ kind: 'incremental', rederived: 0, records: first.records });

    await db.pool.query(
      `UPDATE deals SET properties = properties || '{"amount": "123456"}' WHERE portal_id = $1 AND id = 1057`,
      [portalId],
    );
    const one = await catchUp(start);
    expect(one.kind).toBe('incremental');
    expect(one.rederived).toBeGreaterThanOrEqual(1);
    expect(one.rederived).toBeLessThan(liveRecords / 10);
    const { rows } = await db.pool.query(
      `SELECT amount_cents FROM report_records WHERE portal_id = $1 AND object_type = 'deals' AND object_id = 1057`,
      [portalId],
    );
    expect(rows[0].amount_cents).toBe(12_345_600);
    expect((await lastReportingRefresh(db.pool, portalId))?.kind).toBe('incremental');
  });

  it.each([1, 2, 3, 4, 5, 6])('leaves what a full rebuild leaves after random edits (seed %i)', async (seed) => {
    const pick = random(seed);
    const done: string[] = [];
    // Two steps of edits and incremental refreshes, days apart (SLA clocks run meanwhile), then the check.
    let now = new Date(start.getTime() + seed * DAY_MS);
    for (let step = 0; step < 2; step++) {
      for (let i = 0; i < 12; i++) done.push(await randomEdit(pick));
      now = new Date(now.getTime() + Math.floor(pick() * 20) * DAY_MS);
      const summary = await catchUp(now);
      expect(summary.kind, done.join('; ')).toBe('incremental');
      expect(summary.rederived, done.join('; ')).toBeLessThan(liveRecords / 2);
    }
    const incremental = await model();
    const full = await refreshReporting(db.pool, portalId, { now, full: true });
    expect(full.kind).toBe('full');
    const rebuilt = await model();
    for (const table of Object.keys(rebuilt) as (keyof typeof rebuilt)[])
      expect(incremental[table], `${table} after ${done.join('; ')}`).toEqual(rebuilt[table]);
  });

  it('re-derives the records whose SLA clock ran out between two refreshes, and nothing else', async () => {
    // A ticket that has just entered onboarding: its 14-day onboarding clock runs, nothing else changes.
    const ticket = 1149;
    const entered = (await lastReportingRefresh(db.pool, portalId))!.refreshedAt;
    await db.pool.query(`UPDATE tickets SET properties = properties || $3::jsonb WHERE portal_id = $1 AND id = $2`, [
      portalId,
      ticket,
      JSON.stringify({
        hs_pipeline_stage: 'onboarding',
        hs_v2_date_entered_onboarding: entered.toISOString(),
        hs_v2_date_entered_in_delivery: null,
        hs_v2_date_entered_results_review: null,
      }),
    ]);
    await db.pool.query(
      `DELETE FROM stage_events WHERE portal_id = $1 AND object_type = 'tickets' AND object_id = $2`,
      [portalId, ticket],
    );
    await catchUp(entered);
    const breached = async () =>
      (
        await db.pool.query<{ sla_breached: boolean }>(
          `SELECT sla_breached FROM report_delivery WHERE portal_id = $1 AND ticket_id = $2`,
          [portalId, ticket],
        )
      ).rows[0]?.sla_breached;
    expect(await breached()).toBe(false);

    const later = new Date(entered.getTime() + 15 * DAY_MS);
    const crossed = await db.pool.query<{ n: number }>(
      `SELECT count(DISTINCT (object_type, object_id))::int AS n FROM report_sla_clocks
        WHERE portal_id = $1 AND breach_at >= $2 AND breach_at < $3`,
      [portalId, entered, later],
    );
    const summary = await refreshReporting(db.pool, portalId, { now: later });
    expect(summary).toMatchObject({ kind: 'incremental', rederived: crossed.rows[0]!.n });
    expect(await breached()).toBe(true);
    const incremental = await model();
    await refreshReporting(db.pool, portalId, { now: later, full: true });
    expect(incremental).toEqual(await model());
  });

  it("follows attribution: a touch moves a deal's lead channel though the deal did not change", async () => {
    // A live deal in scope with a contact (random edits above may have removed any given one).
    const deal = (
      await db.pool.query<{ id: number }>(
        `SELECT r.object_id AS id FROM report_records r
          WHERE r.portal_id = $1 AND r.object_type = 'deals'
            AND EXISTS (SELECT 1 FROM associations a WHERE a.portal_id = r.portal_id AND a.from_type = 'contacts'
                           AND a.to_type = 'deals' AND a.to_id = r.object_id)
          ORDER BY r.object_id LIMIT 1`,
        [portalId],
      )
    ).rows[0]!.id;
    const channel = async () =>
      (
        await db.pool.query<{ lead_channel: string | null; computed: string | null }>(
          `SELECT r.lead_channel, cp.properties ->> 'clr_lead_channel' AS computed
             FROM report_records r
             LEFT JOIN computed_properties cp ON cp.portal_id = r.portal_id AND cp.object_type = 'deals'
                                             AND cp.object_id = r.object_id AND cp.source = 'attribution'
            WHERE r.portal_id = $1 AND r.object_type = 'deals' AND r.object_id = $2`,
          [portalId, deal],
        )
      ).rows[0];
    const before = await channel();
    const contact = (
      await db.pool.query<{ id: number }>(
        `SELECT from_id AS id FROM associations WHERE portal_id = $1 AND from_type = 'contacts' AND to_type = 'deals'
            AND to_id = $2 ORDER BY from_id LIMIT 1`,
        [portalId, deal],
      )
    ).rows[0]!.id;
    const other = CHANNELS.find((c) => c !== before?.lead_channel)!;
    // The earliest touch of the deal's contacts in the lookback before its creation decides its lead
    // channel (section 8): one a day inside the window's start comes first.
    const created = (
      await db.pool.query<{ created: string }>(
        `SELECT properties ->> 'createdate' AS created FROM deals WHERE portal_id = $1 AND id = $2`,
        [portalId, deal],
      )
    ).rows[0]!.created;
    const lookback = DEFAULT_DEFINITIONS.attribution.lookbackDays;
    await db.pool.query(
      `INSERT INTO ingested_touches (portal_id, id, occurred_at, channel, contact_id) VALUES ($1, 'first-ever', $2, $3, $4)`,
      [portalId, new Date(Date.parse(created) - (lookback - 1) * DAY_MS), other, contact],
    );
    // At the instant of the last refresh, so no SLA clock crosses and only the marks decide.
    const summary = await catchUp((await lastReportingRefresh(db.pool, portalId))!.refreshedAt);
    expect(summary.kind).toBe('incremental');
    const after = await channel();
    expect(after?.computed).toBe(other);
    expect(after?.lead_channel).toBe(other);
    expect(summary.rederived).toBeLessThan(liveRecords / 10);
  });

  it("follows a contact's company: a deal without one of its own takes its contacts'", async () => {
    const { rows } = await db.pool.query<{ deal: number; contact: number; company: number }>(
      `SELECT r.object_id AS deal, min(a.from_id) AS contact, r.company_id AS company FROM report_records r
         JOIN associations a ON a.portal_id = r.portal_id AND a.from_type = 'contacts' AND a.to_type = 'deals'
                            AND a.to_id = r.object_id
        WHERE r.portal_id = $1 AND r.object_type = 'deals' AND r.company_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM associations d WHERE d.portal_id = r.portal_id AND d.from_type = 'companies'
                             AND d.to_type = 'deals' AND d.to_id = r.object_id)
        GROUP BY r.object_id, r.company_id HAVING count(*) = 1
        ORDER BY r.object_id LIMIT 1`,
      [portalId],
    );
    const { deal, contact } = rows[0]!;
    const company = 999_001;
    await db.pool.query(
      `INSERT INTO companies (portal_id, id, properties, created_at, updated_at) VALUES ($1, $2, '{}', now(), now())`,
      [portalId, company],
    );
    await db.pool.query(
      `DELETE FROM associations WHERE portal_id = $1 AND from_type = 'companies' AND to_type = 'contacts' AND to_id = $2`,
      [portalId, contact],
    );
    await db.pool.query(
      `INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id) VALUES ($1, 'companies', $2, 'contacts', $3)`,
      [portalId, company, contact],
    );
    const summary = await catchUp((await lastReportingRefresh(db.pool, portalId))!.refreshedAt);
    expect(summary.kind).toBe('incremental');
    const after = await db.pool.query<{ company_id: number }>(
      `SELECT company_id FROM report_records WHERE portal_id = $1 AND object_type = 'deals' AND object_id = $2`,
      [portalId, deal],
    );
    expect(after.rows[0]!.company_id).toBe(company);
  });

  it('rebuilds the whole portal after a definitions change', async () => {
    await appendDefinitionsVersion(db.pool, portalId, {
      document: DEFAULT_DEFINITIONS,
      author: 'test',
      reason: 'same policy, new version',
      diff: [],
    });
    const summary = await refreshReporting(db.pool, portalId, { now: start });
    expect(summary).toMatchObject({ kind: 'full', reason: 'definitions' });
    expect((await lastReportingRefresh(db.pool, portalId))?.definitionsVersion).toBe(2);
  });
});

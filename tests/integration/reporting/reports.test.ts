import { beforeAll, describe, expect, it } from 'vitest';
import { attributePendingChanges } from '../../../server/attribution/attribute-changes.ts';
import { lastReportingRefresh } from '../../../server/db/repositories/reporting.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { refreshReporting } from '../../../server/reporting/refresh-reporting.ts';
import { cacPaybackReport } from '../../../server/reporting/reports/cac-payback.ts';
import { deliveryByChannelReport } from '../../../server/reporting/reports/delivery-by-channel.ts';
import { funnelReport } from '../../../server/reporting/reports/funnel.ts';
import { spendEfficiencyReport } from '../../../server/reporting/reports/spend-efficiency.ts';
import { velocityReport } from '../../../server/reporting/reports/velocity.ts';
import { winRateReport } from '../../../server/reporting/reports/win-rate.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { demoFixture, runDemoLoop, seedDemoPortal } from '../../helpers/demo-portal-loop.ts';

/**
 * The reports on the demo portal against an independent computation in plain SQL over the mirror, the
 * credits and the spend — written from the policy's words and the default stage mapping, not from the
 * reporting tables or the engine.
 */
const db = useTestDatabase();
const fixture = demoFixture;
const portalId = fixture.portalId;
const now = new Date(fixture.now);
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

beforeAll(async () => {
  await seedDemoPortal(db.pool);
  await runDemoLoop(db.pool);
});

// Section 1's default deal mapping, as SQL sees it.
const DEAL_STAGES = `(VALUES ('discovery', 'appointmentscheduled'), ('discovery', 'qualifiedtobuy'),
  ('proposal', 'presentationscheduled'), ('proposal', 'decisionmakerboughtin'), ('contract', 'contractsent'),
  ('closed_won', 'closedwon'), ('closed_lost', 'closedlost')) AS m(stage, value)`;

describe('reports on the demo portal', () => {
  it('say when their data was last refreshed', async () => {
    const refresh = await lastReportingRefresh(db.pool, portalId);
    expect(refresh?.refreshedAt.toISOString()).toBe(fixture.now);
    expect(refresh?.definitionsVersion).toBe(1);
  });

  it('funnel: deals that entered each stage, and the conversions between them', async () => {
    const { rows } = await db.pool.query<{ stage: string; n: number }>(
      `SELECT m.stage, count(DISTINCT d.id)::int AS n
         FROM deals d CROSS JOIN ${DEAL_STAGES}
        WHERE d.portal_id = $1 AND NOT d.archived AND d.properties ->> 'pipeline' = 'default'
          AND (coalesce(d.properties ->> ('hs_date_entered_' || m.value), '') <> ''
               OR EXISTS (SELECT 1 FROM stage_events e WHERE e.portal_id = d.portal_id AND e.object_type = 'deals'
                             AND e.object_id = d.id AND e.property = 'dealstage' AND e.value = m.value))
        GROUP BY m.stage`,
      [portalId],
    );
    const entered = Object.fromEntries(rows.map((r) => [r.stage, r.n]));
    const report = await funnelReport(db.pool, portalId, DEFAULT_DEFINITIONS, 'deals', {});
    const path = ['discovery', 'proposal', 'contract', 'closed_won'];
    expect(report.overall.map((s) => s.stage)).toEqual(path);
    for (const [i, stage] of path.entries()) {
      const row = report.overall[i]!;
      expect(row.entered, stage).toBe(entered[stage] ?? 0);
      const next = path[i + 1];
      if (next) expect(row.nextStepConversion, stage).toBe(round4((entered[next] ?? 0) / entered[stage]!));
      expect(row.cumulativeConversion, stage).toBe(round4((entered[stage] ?? 0) / entered.discovery!));
    }
    expect(report.cohorts.reduce((n, c) => n + (c.stages[0]?.entered ?? 0), 0)).toBeLessThanOrEqual(entered.discovery!);
    expect(report.cohorts.length).toBeGreaterThan(1);
  });

  it('win rate: won ÷ (won + lost), overall and for one owner', async () => {
    const sql = async (owner: string | null) =>
      (
        await db.pool.query<{ won: number; lost: number }>(
          `SELECT count(*) FILTER (WHERE properties ->> 'dealstage' = 'closedwon')::int AS won,
                  count(*) FILTER (WHERE properties ->> 'dealstage' = 'closedlost')::int AS lost
             FROM deals WHERE portal_id = $1 AND NOT archived AND properties ->> 'pipeline' = 'default'
              AND ($2::text IS NULL OR properties ->> 'hubspot_owner_id' = $2)`,
          [portalId, owner],
        )
      ).rows[0]!;
    const all = await sql(null);
    expect(all.won).toBeGreaterThan(0);
    expect(all.lost).toBeGreaterThan(0);
    const report = await winRateReport(db.pool, portalId, {});
    expect(report.overall).toEqual({ won: all.won, lost: all.lost, winRate: round4(all.won / (all.won + all.lost)) });
    const owner = fixture.objects.deals.find((d) => d.properties.dealstage === 'closedwon')!.properties
      .hubspot_owner_id!;
    const mine = await sql(owner);
    const filtered = await winRateReport(db.pool, portalId, { ownerId: owner });
    expect(filtered.overall.won).toBe(mine.won);
    expect(filtered.overall.lost).toBe(mine.lost);
    const link = report.byChannel[0]!.deals[0]!;
    expect(link.url).toBe(`https://app.hubspot.com/contacts/${portalId}/record/0-3/${link.id}`);
  });

  it('pipeline per $ of spend by channel under a model', async () => {
    const { rows } = await db.pool.query<{ channel: string; credit: string; spend: string | null }>(
      `SELECT c.channel, sum(c.cents) AS credit,
              (SELECT sum(s.cents) FROM ad_spend s WHERE s.portal_id = $1 AND s.channel = c.channel) AS spend
         FROM attribution_credits c JOIN deals d ON d.portal_id = c.portal_id AND d.id = c.deal_id
        WHERE c.portal_id = $1 AND c.model = 'linear' AND c.kind = 'pipeline' AND d.properties ->> 'pipeline' = 'default'
        GROUP BY c.channel`,
      [portalId],
    );
    const report = await spendEfficiencyReport(db.pool, portalId, 'linear', {});
    let compared = 0;
    for (const row of rows) {
      const got = report.channels.find((c) => c.channel === row.channel)!;
      expect(got.pipelineCents, row.channel).toBe(Number(row.credit));
      const spend = Number(row.spend ?? 0);
      expect(got.spendCents, row.channel).toBe(spend);
      expect(got.pipelinePerDollar, row.channel).toBe(spend === 0 ? null : round4(Number(row.credit) / spend));
      if (spend > 0) compared++;
    }
    expect(compared).toBeGreaterThan(0);
    expect(report.coverage.pipeline.deals).toBeGreaterThan(0);
    expect(report.coverage.pipeline.share).not.toBeNull();
  });

  it('change-request rate by lead channel', async () => {
    const { rows } = await db.pool.query<{ channel: string | null; tickets: number; with_reason: number }>(
      `SELECT cp.properties ->> 'clr_lead_channel' AS channel, count(*)::int AS tickets,
              count(*) FILTER (WHERE coalesce(btrim(t.properties ->> 'clr_change_request_reason'), '') <> '')::int AS with_reason
         FROM tickets t
         LEFT JOIN computed_properties cp ON cp.portal_id = t.portal_id AND cp.object_type = 'tickets'
                                         AND cp.object_id = t.id AND cp.source = 'attribution'
        WHERE t.portal_id = $1 AND NOT t.archived AND t.properties ->> 'hs_pipeline' = 'delivery'
        GROUP BY 1`,
      [portalId],
    );
    const report = await deliveryByChannelReport(db.pool, portalId, {});
    expect(report.map((r) => r.leadChannel).sort()).toEqual(rows.map((r) => r.channel).sort());
    for (const row of rows) {
      const got = report.find((r) => r.leadChannel === row.channel)!;
      expect(got.tickets).toBe(row.tickets);
      expect(got.changeRequests).toBe(row.with_reason);
      expect(got.changeRequestRate).toBe(round4(row.with_reason / row.tickets));
    }
    expect(rows.some((r) => r.with_reason > 0)).toBe(true);
  });
});

describe('velocity and CAC payback inputs on the demo portal', () => {
  // Each deal's entered-at per closed-loop stage of the main path, from its date-entered properties or
  // else its stage history (section 1), and its move to the next stage of the path it reached.
  const MOVES = `WITH m(stage, value, idx) AS (VALUES ('discovery', 'appointmentscheduled', 0), ('discovery', 'qualifiedtobuy', 0),
       ('proposal', 'presentationscheduled', 1), ('proposal', 'decisionmakerboughtin', 1),
       ('contract', 'contractsent', 2), ('closed_won', 'closedwon', 3)),
     value_at AS (
       SELECT d.id, m.stage, m.idx,
              coalesce(nullif(d.properties ->> ('hs_date_entered_' || m.value), '')::timestamptz,
                       (SELECT min(e.occurred_at) FROM stage_events e
                         WHERE e.portal_id = d.portal_id AND e.object_type = 'deals' AND e.object_id = d.id
                           AND e.property = 'dealstage' AND e.value = m.value)) AS at
         FROM deals d CROSS JOIN m
        WHERE d.portal_id = $1 AND NOT d.archived AND d.properties ->> 'pipeline' = 'default'
          AND ($2::text IS NULL OR d.properties ->> 'hubspot_owner_id' = $2)),
     entered AS (SELECT id, stage, idx, min(at) AS at FROM value_at WHERE at IS NOT NULL GROUP BY id, stage, idx),
     moves AS (
       SELECT e.stage, extract(epoch FROM n.at - e.at) / 86400 AS days
         FROM entered e
         JOIN LATERAL (SELECT x.at FROM entered x WHERE x.id = e.id AND x.idx > e.idx ORDER BY x.idx LIMIT 1) n ON true
        WHERE n.at >= e.at)`;

  it('funnel cohorts: per month of first entry, next-step and cumulative conversion', async () => {
    const { rows } = await db.pool.query<{ month: string; stage: string; n: number }>(
      `WITH m(stage, value) AS (VALUES ('discovery', 'appointmentscheduled'), ('discovery', 'qualifiedtobuy'),
         ('proposal', 'presentationscheduled'), ('proposal', 'decisionmakerboughtin'), ('contract', 'contractsent'),
         ('closed_won', 'closedwon'), ('closed_lost', 'closedlost')),
       value_at AS (
         SELECT d.id, m.stage,
                coalesce(nullif(d.properties ->> ('hs_date_entered_' || m.value), '')::timestamptz,
                         (SELECT min(e.occurred_at) FROM stage_events e
                           WHERE e.portal_id = d.portal_id AND e.object_type = 'deals' AND e.object_id = d.id
                             AND e.property = 'dealstage' AND e.value = m.value)) AS at
           FROM deals d CROSS JOIN m
          WHERE d.portal_id = $1 AND NOT d.archived AND d.properties ->> 'pipeline' = 'default'),
       entered AS (SELECT id, stage, min(at) AS at FROM value_at WHERE at IS NOT NULL GROUP BY id, stage),
       cohort AS (SELECT id, to_char(date_trunc('month', min(at) AT TIME ZONE 'UTC'), 'YYYY-MM') AS month
                    FROM entered GROUP BY id)
       SELECT c.month, e.stage, count(*)::int AS n FROM entered e JOIN cohort c USING (id) GROUP BY 1, 2`,
      [portalId],
    );
    const n = (month: string, stage: string | undefined) =>
      rows.find((r) => r.month === month && r.stage === stage)?.n ?? 0;
    const report = await funnelReport(db.pool, portalId, DEFAULT_DEFINITIONS, 'deals', {});
    expect(report.cohorts.map((c) => c.month)).toEqual([...new Set(rows.map((r) => r.month))].sort());
    const path = ['discovery', 'proposal', 'contract', 'closed_won'];
    for (const cohort of report.cohorts) {
      for (const [i, stage] of path.entries()) {
        const row = cohort.stages[i]!;
        const here = n(cohort.month, stage);
        const next = path[i + 1];
        expect(row.entered, `${cohort.month} ${stage}`).toBe(here);
        expect(row.nextStepConversion, `${cohort.month} ${stage}`).toBe(
          next === undefined || here === 0 ? null : round4(n(cohort.month, next) / here),
        );
        const first = n(cohort.month, 'discovery');
        expect(row.cumulativeConversion, `${cohort.month} ${stage}`).toBe(first === 0 ? null : round4(here / first));
      }
    }
    expect(report.cohorts.some((c) => c.stages[1]!.entered > 0)).toBe(true);
  });

  it('velocity: median and p75 days per stage, nearest rank (percentile_disc), overall and for one owner', async () => {
    const sql = async (owner: string | null) =>
      (
        await db.pool.query<{ stage: string; moves: number; median: string; p75: string }>(
          `${MOVES}
           SELECT stage, count(*)::int AS moves,
                  round((percentile_disc(0.5) WITHIN GROUP (ORDER BY days))::numeric, 2) AS median,
                  round((percentile_disc(0.75) WITHIN GROUP (ORDER BY days))::numeric, 2) AS p75
             FROM moves GROUP BY stage`,
          [portalId, owner],
        )
      ).rows;
    for (const owner of [null, fixture.objects.deals[0]!.properties.hubspot_owner_id!]) {
      const expected = await sql(owner);
      const report = await velocityReport(
        db.pool,
        portalId,
        DEFAULT_DEFINITIONS,
        'deals',
        owner ? { ownerId: owner } : {},
      );
      expect(report.stages.map((s) => s.stage)).toEqual(['discovery', 'proposal', 'contract', 'closed_won']);
      for (const stage of report.stages) {
        const row = expected.find((r) => r.stage === stage.stage);
        expect(stage.moves, `${stage.stage} ${owner}`).toBe(row?.moves ?? 0);
        expect(stage.medianDays, `${stage.stage} ${owner}`).toBe(row ? Number(row.median) : null);
        expect(stage.p75Days, `${stage.stage} ${owner}`).toBe(row ? Number(row.p75) : null);
      }
      expect(report.stages.some((s) => s.moves > 1)).toBe(true);
    }
    // The funnel's velocity columns are the same figures.
    const funnel = await funnelReport(db.pool, portalId, DEFAULT_DEFINITIONS, 'deals', {});
    const velocity = await velocityReport(db.pool, portalId, DEFAULT_DEFINITIONS, 'deals', {});
    expect(funnel.overall.map((s) => [s.medianDays, s.p75Days])).toEqual(
      velocity.stages.map((s) => [s.medianDays, s.p75Days]),
    );
  });

  const compareCac = async () => {
    const won = await db.pool.query<{ channel: string | null; deals: number; amount: string; first: number }>(
      `WITH won AS (
         SELECT d.id, (d.properties ->> 'amount')::numeric AS amount, cp.properties ->> 'clr_lead_channel' AS channel,
                coalesce((SELECT min(a.from_id) FROM associations a WHERE a.portal_id = d.portal_id
                             AND a.from_type = 'companies' AND a.to_type = 'deals' AND a.to_id = d.id),
                         (SELECT min(c.from_id) FROM associations a
                            JOIN associations c ON c.portal_id = a.portal_id AND c.from_type = 'companies'
                                               AND c.to_type = 'contacts' AND c.to_id = a.from_id
                           WHERE a.portal_id = d.portal_id AND a.from_type = 'contacts' AND a.to_type = 'deals'
                             AND a.to_id = d.id),
                         -d.id) AS customer,
                (d.properties ->> 'closedate')::timestamptz AS closed
           FROM deals d
           LEFT JOIN computed_properties cp ON cp.portal_id = d.portal_id AND cp.object_type = 'deals'
                                           AND cp.object_id = d.id AND cp.source = 'attribution'
          WHERE d.portal_id = $1 AND NOT d.archived AND d.properties ->> 'pipeline' = 'default'
            AND d.properties ->> 'dealstage' = 'closedwon')
       SELECT w.channel, count(*)::int AS deals, coalesce(sum(w.amount), 0) * 100 AS amount,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM won o WHERE o.customer = w.customer
                                                   AND (o.closed, o.id) < (w.closed, w.id)))::int AS first
         FROM won w GROUP BY w.channel`,
      [portalId],
    );
    const spend = await db.pool.query<{ channel: string; cents: string }>(
      `SELECT channel, sum(cents) AS cents FROM ad_spend WHERE portal_id = $1 GROUP BY channel`,
      [portalId],
    );
    const report = await cacPaybackReport(db.pool, portalId, {});
    for (const row of won.rows) {
      const got = report.channels.find((c) => c.channel === row.channel)!;
      expect(got.wonDeals, String(row.channel)).toBe(row.deals);
      expect(got.wonAmountCents, String(row.channel)).toBe(Number(row.amount));
      expect(got.newCustomers, String(row.channel)).toBe(row.first);
    }
    for (const row of spend.rows) {
      const got = report.channels.find((c) => c.channel === row.channel)!;
      expect(got.spendCents, row.channel).toBe(Number(row.cents));
      expect(got.cacCents, row.channel).toBe(
        got.newCustomers === 0 ? null : Math.round(Number(row.cents) / got.newCustomers),
      );
    }
    expect(won.rows.reduce((n, r) => n + r.deals, 0)).toBeGreaterThan(1);
    expect(report.channels.some((c) => c.cacCents !== null)).toBe(true);
    // The months add up to the channels.
    for (const channel of report.channels) {
      const months = report.months.filter((m) => m.channel === channel.channel);
      expect(months.reduce((n, m) => n + m.spendCents, 0)).toBe(channel.spendCents);
      expect(months.reduce((n, m) => n + m.newCustomers, 0)).toBe(channel.newCustomers);
    }
    return { report, won: won.rows };
  };

  it('CAC payback inputs: spend, won deals and their amount, new customers, per channel', async () => {
    const first = await compareCac();
    // A second won deal of a customer that already has one: one more won deal, no new customer.
    const repeat = (
      await db.pool.query<{ deal: number; channel: string }>(
        `SELECT r.object_id AS deal, r.lead_channel AS channel FROM report_records r
          WHERE r.portal_id = $1 AND r.object_type = 'deals' AND r.stage = 'closed_won' AND r.lead_channel IS NOT NULL
            AND r.company_id IS NOT NULL
          ORDER BY r.object_id LIMIT 1`,
        [portalId],
      )
    ).rows[0]!;
    const deal = await db.pool.query<{ properties: Record<string, string> }>(
      `SELECT properties FROM deals WHERE portal_id = $1 AND id = $2`,
      [portalId, repeat.deal],
    );
    await db.pool.query(
      `INSERT INTO deals (portal_id, id, properties, created_at, updated_at) VALUES ($1, 990001, $2, now(), now())`,
      [portalId, { ...deal.rows[0]!.properties, amount: '1000', closedate: '2026-10-30T00:00:00.000Z' }],
    );
    await db.pool.query(
      `INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id)
       SELECT portal_id, from_type, from_id, to_type, 990001 FROM associations
        WHERE portal_id = $1 AND to_type = 'deals' AND to_id = $2 AND from_type IN ('companies', 'contacts')`,
      [portalId, repeat.deal],
    );
    await attributePendingChanges(db.pool, portalId, { now });
    expect((await refreshReporting(db.pool, portalId, { now })).kind).toBe('incremental');
    const second = await compareCac();
    const before = first.report.channels.find((c) => c.channel === repeat.channel)!;
    const after = second.report.channels.find((c) => c.channel === repeat.channel)!;
    expect(after.wonDeals).toBe(before.wonDeals + 1);
    expect(after.newCustomers).toBe(before.newCustomers);
    expect(after.wonAmountCents).toBe(before.wonAmountCents + 100_000);
  });
});

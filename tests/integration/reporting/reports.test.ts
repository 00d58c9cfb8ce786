import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attributePortal } from '../../../server/attribution/attribute-portal.ts';
import { ensureFirstDefinitions } from '../../../server/db/repositories/definitions.ts';
import { lastReportingRefresh } from '../../../server/db/repositories/reporting.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { evaluatePortalHygiene } from '../../../server/hygiene/evaluate-portal.ts';
import { refreshReporting } from '../../../server/reporting/refresh-reporting.ts';
import { deliveryByChannelReport } from '../../../server/reporting/reports/delivery-by-channel.ts';
import { funnelReport } from '../../../server/reporting/reports/funnel.ts';
import { spendEfficiencyReport } from '../../../server/reporting/reports/spend-efficiency.ts';
import { winRateReport } from '../../../server/reporting/reports/win-rate.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { seedMirror, type MirrorFixture } from '../../helpers/seed-mirror.ts';

/**
 * The reports on the demo portal against an independent computation in plain SQL over the mirror, the
 * credits and the spend — written from the policy's words and the default stage mapping, not from the
 * reporting tables or the engine.
 */
const db = useTestDatabase();
const fixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as MirrorFixture & {
  now: string;
  ingest: { spend: { month: string; channel: string; campaignId?: string; cents: number }[] };
};
const portalId = fixture.portalId;
const now = new Date(fixture.now);
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

beforeAll(async () => {
  await seedMirror(db.pool, fixture);
  for (const s of fixture.ingest.spend) {
    await db.pool.query(
      `INSERT INTO ad_spend (portal_id, month, channel, campaign_id, cents) VALUES ($1, $2, $3, $4, $5)`,
      [portalId, `${s.month}-01`, s.channel, s.campaignId ?? '', s.cents],
    );
  }
  await ensureFirstDefinitions(db.pool, portalId, DEFAULT_DEFINITIONS);
  await evaluatePortalHygiene(db.pool, portalId, { now });
  await attributePortal(db.pool, portalId, { now });
  await refreshReporting(db.pool, portalId, { now });
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

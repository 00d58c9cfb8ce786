import { beforeAll, describe, expect, it } from 'vitest';
import type { Kpis } from '../../../server/domain/metrics/index.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import type { Drill } from '../../../server/reporting/drill.ts';
import type { ReportFilters } from '../../../server/reporting/filters.ts';
import { findReport, type ReportContext } from '../../../server/reporting/report-catalog.ts';
import type { CacPaybackReport } from '../../../server/reporting/reports/cac-payback.ts';
import type { DeliveryRow } from '../../../server/reporting/reports/delivery-by-channel.ts';
import type { FunnelReport } from '../../../server/reporting/reports/funnel.ts';
import type { ChannelEfficiency, Coverage } from '../../../server/reporting/reports/spend-efficiency.ts';
import type { StageVelocity } from '../../../server/domain/metrics/velocity.ts';
import type { WinRateRow } from '../../../server/reporting/reports/win-rate.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { demoFixture, runDemoLoop, seedDemoPortal } from '../../helpers/demo-portal-loop.ts';

/**
 * Every figure of every report drills down to its records: a count to exactly that many records, a sum
 * to records adding up to it, a share to its base and the records it counts (whose ratio is the share).
 * Each record links to HubSpot. Checked on the demo portal, with and without filters.
 */
const db = useTestDatabase();
const fixture = demoFixture;
const portalId = fixture.portalId;
const now = new Date(fixture.now);
const ctx = (): ReportContext => ({ db: db.pool, portalId, definitions: DEFAULT_DEFINITIONS, now });
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const channelCell = (channel: string | null) => channel ?? '(none)';
const LINK = new RegExp(`^https://app\\.hubspot\\.com/contacts/${portalId}/record/0-[1235]/\\d+$`);
const TYPE_ID = { contacts: '0-1', companies: '0-2', deals: '0-3', tickets: '0-5' } as const;

async function run<T>(name: string, filters: ReportFilters, params: Record<string, unknown> = {}): Promise<T> {
  return (await findReport(name)!.run(ctx(), filters, params)) as T;
}
async function drill(
  name: string,
  filters: ReportFilters,
  params: Record<string, unknown>,
  cell: Record<string, unknown>,
): Promise<Drill> {
  const answer = await findReport(name)!.records(ctx(), filters, params, cell);
  for (const record of answer.records) {
    expect(record.url).toMatch(LINK);
    expect(record.url.endsWith(`/record/${TYPE_ID[record.objectType]}/${record.id}`)).toBe(true);
  }
  return answer;
}

beforeAll(async () => {
  await seedDemoPortal(db.pool);
  await runDemoLoop(db.pool);
});

const owner = () =>
  fixture.objects.deals.find((d) => d.properties.dealstage === 'closedwon')!.properties.hubspot_owner_id!;
const FILTERS: [string, () => ReportFilters][] = [
  ['no filters', () => ({})],
  ['one owner', () => ({ ownerId: owner() })],
  ['a period', () => ({ from: '2025-06-01', to: '2026-09-30' })],
];

describe.each(FILTERS)('drill-down with %s', (_label, filtersOf) => {
  it('funnel: each stage, overall and per cohort, drills to the records that entered it', async () => {
    const filters = filtersOf();
    for (const object of ['deals', 'contacts', 'tickets']) {
      const report = await run<FunnelReport>('funnel', filters, { object });
      let drilled = 0;
      for (const stage of report.overall) {
        const records = await drill('funnel', filters, { object }, { stage: stage.stage });
        expect(records.records.length, `${object} ${stage.stage}`).toBe(stage.entered);
        drilled += records.records.length;
      }
      for (const cohort of report.cohorts) {
        const first = cohort.stages[0]!;
        const records = await drill('funnel', filters, { object }, { stage: first.stage, cohort: cohort.month });
        expect(records.records.length, `${object} ${cohort.month}`).toBe(first.entered);
        expect(records.records.every((r) => r.values.cohort === cohort.month)).toBe(true);
      }
      if (object === 'deals' && _label === 'no filters') expect(drilled).toBeGreaterThan(0);
    }
  });

  it('velocity: each stage drills to its moves, and the median is the move at its rank', async () => {
    const filters = filtersOf();
    const report = await run<{ stages: StageVelocity[] }>('velocity', filters, { object: 'deals' });
    for (const stage of report.stages) {
      const moves = await drill('velocity', filters, { object: 'deals' }, { stage: stage.stage });
      expect(moves.records.length, stage.stage).toBe(stage.moves);
      if (stage.moves === 0) continue;
      const days = moves.records.map((r) => r.values.days as number);
      expect(days).toEqual([...days].sort((a, b) => a - b));
      expect(days[Math.ceil(0.5 * days.length) - 1]).toBe(stage.medianDays);
      expect(days[Math.ceil(0.75 * days.length) - 1]).toBe(stage.p75Days);
    }
  });

  it('win rate: won and lost of each channel, and of all, drill to those deals', async () => {
    const filters = filtersOf();
    const report = await run<{ overall: { won: number; lost: number }; byChannel: WinRateRow[] }>('win-rate', filters);
    for (const row of report.byChannel) {
      for (const outcome of ['won', 'lost'] as const) {
        const deals = await drill('win-rate', filters, {}, { leadChannel: channelCell(row.leadChannel), outcome });
        expect(deals.records.length, `${row.leadChannel} ${outcome}`).toBe(row[outcome]);
        expect(deals.records.every((d) => d.values.stage === `closed_${outcome}`)).toBe(true);
      }
    }
    for (const outcome of ['won', 'lost'] as const)
      expect((await drill('win-rate', filters, {}, { outcome })).records.length).toBe(report.overall[outcome]);
  });

  it('spend efficiency: credits add up to each channel figure; won deals and coverage drill to their deals', async () => {
    const filters = filtersOf();
    const report = await run<{ channels: ChannelEfficiency[]; coverage: Record<'pipeline' | 'revenue', Coverage> }>(
      'spend-efficiency',
      filters,
      { model: 'linear' },
    );
    for (const channel of report.channels) {
      for (const [measure, figure] of [
        ['pipeline', channel.pipelineCents],
        ['revenue', channel.revenueCents],
      ] as const) {
        const deals = await drill(
          'spend-efficiency',
          filters,
          { model: 'linear' },
          { measure, creditChannel: channel.channel },
        );
        expect(deals.sum?.value, `${channel.channel} ${measure}`).toBe(figure);
        expect(deals.records.reduce((n, r) => n + (r.values.credit_cents as number), 0)).toBe(figure);
      }
      const won = await drill(
        'spend-efficiency',
        filters,
        { model: 'linear' },
        { measure: 'won_deals', creditChannel: channel.channel },
      );
      expect(won.records.length, channel.channel).toBe(channel.wonDeals);
    }
    for (const kind of ['pipeline', 'revenue'] as const) {
      const credited = await drill('spend-efficiency', filters, { model: 'linear' }, { measure: 'credited', kind });
      const covered = await drill('spend-efficiency', filters, { model: 'linear' }, { measure: 'covered', kind });
      expect(credited.records.length).toBe(report.coverage[kind].deals);
      expect(covered.records.length).toBe(report.coverage[kind].covered);
    }
  });

  it('CAC payback inputs: won deals and new customers of each channel and month drill to their deals', async () => {
    const filters = filtersOf();
    const report = await run<CacPaybackReport>('cac-payback', filters);
    for (const row of [...report.channels, ...report.months]) {
      const month = 'month' in row ? (row.month as string) : undefined;
      const cell = { leadChannel: channelCell(row.channel), ...(month ? { month } : {}) };
      const won = await drill('cac-payback', filters, {}, { ...cell, measure: 'won_deals' });
      expect(won.records.length, `${row.channel} ${month}`).toBe(row.wonDeals);
      expect(won.sum?.value).toBe(row.wonAmountCents);
      const customers = await drill('cac-payback', filters, {}, { ...cell, measure: 'new_customers' });
      expect(customers.records.length, `${row.channel} ${month}`).toBe(row.newCustomers);
      expect(new Set(customers.records.map((r) => r.values.customer)).size).toBe(row.newCustomers);
    }
  });

  it('delivery: tickets, change requests (and each reason), onboarded and SLA breaches drill to their tickets', async () => {
    const filters = filtersOf();
    const report = await run<DeliveryRow[]>('delivery-by-channel', filters);
    for (const row of report) {
      const leadChannel = channelCell(row.leadChannel);
      const count = async (cell: Record<string, unknown>) =>
        (await drill('delivery-by-channel', filters, {}, { leadChannel, ...cell })).records.length;
      expect(await count({ measure: 'tickets' })).toBe(row.tickets);
      expect(await count({ measure: 'change_requests' })).toBe(row.changeRequests);
      for (const [reason, n] of Object.entries(row.reasons))
        expect(await count({ measure: 'change_requests', reason })).toBe(n);
      expect(await count({ measure: 'sla_breaches' })).toBe(row.slaBreaches);
      const onboarded = await drill('delivery-by-channel', filters, {}, { leadChannel, measure: 'onboarded' });
      const days = onboarded.records.map((r) => r.values.onboarding_days as number);
      expect(days.length === 0 ? null : days[Math.ceil(days.length / 2) - 1]).toBe(row.medianOnboardingDays);
    }
  });
});

describe('drill-down of the KPIs', () => {
  it('each share drills to its base and to the records it counts; findings by code and owner to the findings', async () => {
    const k = await run<Kpis>('kpis', {});
    const share = async (kpi: string, key: string | undefined, figure: number | null) => {
      const base = await drill('kpis', {}, {}, { kpi, key, measure: 'base' });
      const counted = await drill('kpis', {}, {}, { kpi, key, measure: 'counted' });
      expect(
        base.records.length === 0 ? null : round4(counted.records.length / base.records.length),
        `${kpi} ${key}`,
      ).toBe(figure);
      return base.records.length;
    };
    let bases = 0;
    for (const [object, value] of Object.entries(k.completeness)) bases += await share('completeness', object, value);
    for (const [object, value] of Object.entries(k.stageConversionIntegrity))
      bases += await share('stage_conversion_integrity', object, value);
    for (const [sla, value] of Object.entries(k.slaCompliance)) bases += await share('sla_compliance', sla, value);
    bases += await share('duplicate_rate', undefined, k.duplicateRate);
    bases += await share('trackable_touch_share', undefined, k.trackableTouchShare);
    expect(bases).toBeGreaterThan(0);
    for (const [code, n] of Object.entries(k.findingsByCode)) {
      const findings = await drill('kpis', {}, {}, { kpi: 'findings_by_code', key: code });
      expect(findings.records.length, code).toBe(n);
    }
    for (const [owner, n] of Object.entries(k.findingsByOwner)) {
      const findings = await drill('kpis', {}, {}, { kpi: 'findings_by_owner', key: owner });
      expect(findings.records.length, owner).toBe(n);
    }
  });
});

import { z } from 'zod';
import type { Queryable } from '../db/pool.ts';
import type { Definitions } from '../domain/policy/index.ts';
import type { ReportFilters } from './filters.ts';
import { DELIVERY_METRIC, deliveryByChannelReport } from './reports/delivery-by-channel.ts';
import { FUNNEL_METRIC, funnelReport } from './reports/funnel.ts';
import { KPIS_METRIC, kpisReport } from './reports/kpis.ts';
import { SPEND_EFFICIENCY_METRIC, spendEfficiencyReport } from './reports/spend-efficiency.ts';
import { WIN_RATE_METRIC, winRateReport } from './reports/win-rate.ts';

/**
 * Every report by the name the API and the page use: its metric (id and version), the parameters it
 * takes besides the filters, how to run it, and its result as flat tables (the CSV export; a report
 * with several tables exports each by name).
 */
export type Cell = string | number | boolean | null;
export type ReportTable = { name: string; columns: string[]; rows: Cell[][] };
export type ReportContext = { db: Queryable; portalId: number; definitions: Definitions; now: Date };

/** A report parameter the definitions refuse (e.g. a model they don't have): a 400 naming it. */
export class ReportParamError extends Error {
  readonly param: string;
  constructor(param: string, message: string) {
    super(message);
    this.name = 'ReportParamError';
    this.param = param;
  }
}

/** The model a report reads: the one asked for if the definitions have it, else the first enabled one. */
export function resolveModel(definitions: Definitions, requested: string | undefined): string {
  const models = definitions.attribution.models;
  const model = requested ?? (models.find((m) => m.enabled) ?? models[0])!.id;
  if (!models.some((m) => m.id === model))
    throw new ReportParamError(
      'model',
      `unknown attribution model "${model}"; the definitions have ${models.map((m) => m.id).join(', ')}`,
    );
  return model;
}

export type Report = {
  name: string;
  title: string;
  metric: { id: string; version: number };
  /** False for portal-wide reports the filters don't narrow. */
  filtered: boolean;
  params: z.ZodObject;
  run(ctx: ReportContext, filters: ReportFilters, params: Record<string, unknown>): Promise<unknown>;
  tables(result: unknown): ReportTable[];
};

function defineReport<S extends z.ZodObject, R>(spec: {
  name: string;
  title: string;
  metric: { id: string; version: number };
  filtered: boolean;
  params: S;
  run(ctx: ReportContext, filters: ReportFilters, params: z.output<S>): Promise<R>;
  tables(result: R): ReportTable[];
}): Report {
  return {
    ...spec,
    run: (ctx, filters, params) => spec.run(ctx, filters, spec.params.parse(params)),
    tables: (result) => spec.tables(result as R),
  };
}

const FUNNEL_OBJECTS = { contacts: 'contacts', deals: 'deals', tickets: 'tickets' } as const;

const funnel = defineReport({
  name: 'funnel',
  title: 'Funnel and velocity',
  metric: FUNNEL_METRIC,
  filtered: true,
  params: z.object({ object: z.enum(['contacts', 'deals', 'tickets']).default('deals') }),
  run: (ctx, filters, params) =>
    funnelReport(ctx.db, ctx.portalId, ctx.definitions, FUNNEL_OBJECTS[params.object], filters),
  tables: (result) => {
    const columns = ['stage', 'entered', 'next_step_conversion', 'cumulative_conversion', 'median_days', 'p75_days'];
    const cells = (s: (typeof result.overall)[number]): Cell[] => [
      s.stage,
      s.entered,
      s.nextStepConversion,
      s.cumulativeConversion,
      s.medianDays,
      s.p75Days,
    ];
    return [
      { name: 'stages', columns, rows: result.overall.map(cells) },
      {
        name: 'cohorts',
        columns: ['cohort_month', ...columns],
        rows: result.cohorts.flatMap((c) => c.stages.map((s) => [c.month, ...cells(s)])),
      },
    ];
  },
});

const winRate = defineReport({
  name: 'win-rate',
  title: 'Win rate',
  metric: WIN_RATE_METRIC,
  filtered: true,
  params: z.object({}),
  run: (ctx, filters) => winRateReport(ctx.db, ctx.portalId, filters),
  tables: (result) => [
    {
      name: 'channels',
      columns: ['lead_channel', 'won', 'lost', 'win_rate'],
      rows: [
        ['(all)', result.overall.won, result.overall.lost, result.overall.winRate],
        ...result.byChannel.map((r): Cell[] => [r.leadChannel, r.won, r.lost, r.winRate]),
      ],
    },
    {
      name: 'deals',
      columns: ['lead_channel', 'deal_id', 'stage', 'hubspot_url'],
      rows: result.byChannel.flatMap((r) => r.deals.map((d): Cell[] => [r.leadChannel, d.id, d.stage, d.url])),
    },
  ],
});

const spendEfficiency = defineReport({
  name: 'spend-efficiency',
  title: 'Pipeline and revenue per $ of spend',
  metric: SPEND_EFFICIENCY_METRIC,
  filtered: true,
  params: z.object({ model: z.string().min(1).max(100).optional() }),
  run: (ctx, filters, params) =>
    spendEfficiencyReport(ctx.db, ctx.portalId, resolveModel(ctx.definitions, params.model), filters),
  tables: (result) => [
    {
      name: 'channels',
      columns: [
        'model',
        'channel',
        'spend_cents',
        'pipeline_cents',
        'revenue_cents',
        'pipeline_per_dollar',
        'revenue_per_dollar',
        'won_deals',
      ],
      rows: result.channels.map((c): Cell[] => [
        result.model,
        c.channel,
        c.spendCents,
        c.pipelineCents,
        c.revenueCents,
        c.pipelinePerDollar,
        c.revenuePerDollar,
        c.wonDeals,
      ]),
    },
    {
      name: 'coverage',
      columns: ['model', 'kind', 'deals', 'covered', 'share', 'amount_share'],
      rows: (['pipeline', 'revenue'] as const).map((kind): Cell[] => {
        const c = result.coverage[kind];
        return [result.model, kind, c.deals, c.covered, c.share, c.amountShare];
      }),
    },
  ],
});

const delivery = defineReport({
  name: 'delivery-by-channel',
  title: 'Delivery outcomes by lead channel',
  metric: DELIVERY_METRIC,
  filtered: true,
  params: z.object({}),
  run: (ctx, filters) => deliveryByChannelReport(ctx.db, ctx.portalId, filters),
  tables: (result) => [
    {
      name: 'channels',
      columns: [
        'lead_channel',
        'tickets',
        'change_requests',
        'change_request_rate',
        'median_onboarding_days',
        'sla_breaches',
      ],
      rows: result.map((r): Cell[] => [
        r.leadChannel,
        r.tickets,
        r.changeRequests,
        r.changeRequestRate,
        r.medianOnboardingDays,
        r.slaBreaches,
      ]),
    },
    {
      name: 'reasons',
      columns: ['lead_channel', 'change_request_reason', 'tickets'],
      rows: result.flatMap((r) => Object.entries(r.reasons).map(([reason, n]): Cell[] => [r.leadChannel, reason, n])),
    },
    {
      name: 'tickets',
      columns: ['lead_channel', 'ticket_id', 'hubspot_url'],
      rows: result.flatMap((r) => r.records.map((t): Cell[] => [r.leadChannel, t.id, t.url])),
    },
  ],
});

const maturityKpis = defineReport({
  name: 'kpis',
  title: 'Maturity KPIs',
  metric: KPIS_METRIC,
  filtered: false,
  params: z.object({}),
  run: (ctx) => kpisReport(ctx.db, ctx.portalId, ctx.definitions, ctx.now),
  tables: (result) => {
    const rows: Cell[][] = [];
    for (const [object, value] of Object.entries(result.completeness)) rows.push(['completeness', object, value]);
    rows.push(['duplicate_rate', '', result.duplicateRate]);
    for (const [object, value] of Object.entries(result.stageConversionIntegrity))
      rows.push(['stage_conversion_integrity', object, value]);
    rows.push(['trackable_touch_share', '', result.trackableTouchShare]);
    for (const [sla, value] of Object.entries(result.slaCompliance)) rows.push(['sla_compliance', sla, value]);
    for (const [code, n] of Object.entries(result.findingsByCode)) rows.push(['open_findings_by_code', code, n]);
    for (const [owner, n] of Object.entries(result.findingsByOwner)) rows.push(['open_findings_by_owner', owner, n]);
    return [{ name: 'kpis', columns: ['kpi', 'of', 'value'], rows }];
  },
});

export const REPORTS: readonly Report[] = [funnel, winRate, spendEfficiency, delivery, maturityKpis];

export function findReport(name: string): Report | undefined {
  return REPORTS.find((r) => r.name === name);
}

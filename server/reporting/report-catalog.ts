import { z } from 'zod';
import type { Queryable } from '../db/pool.ts';
import type { Definitions } from '../domain/policy/index.ts';
import { HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import type { Drill } from './drill.ts';
import type { ReportFilters } from './filters.ts';
import { CAC_PAYBACK_METRIC, cacPaybackRecords, cacPaybackReport } from './reports/cac-payback.ts';
import { DELIVERY_METRIC, deliveryByChannelReport, deliveryRecords } from './reports/delivery-by-channel.ts';
import { FUNNEL_METRIC, funnelRecords, funnelReport } from './reports/funnel.ts';
import { KPIS_METRIC, kpiRecords, kpisReport } from './reports/kpis.ts';
import { SPEND_EFFICIENCY_METRIC, spendEfficiencyRecords, spendEfficiencyReport } from './reports/spend-efficiency.ts';
import { VELOCITY_METRIC, velocityRecords, velocityReport } from './reports/velocity.ts';
import { WIN_RATE_METRIC, winRateRecords, winRateReport } from './reports/win-rate.ts';
import { LIFECYCLE_OF } from './stage-entries.ts';

/**
 * Every report by the name the API and the page use: its metric (id and version), the parameters it
 * takes besides the filters, how to run it, its result as flat tables (the CSV export; a report with
 * several tables exports each by name), and its drill-down: the query parameters that name one figure
 * (`cell`) and the records behind it.
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
  /** The parameters naming one figure; their names never clash with the filters' or the report's. */
  cell: z.ZodObject;
  records(
    ctx: ReportContext,
    filters: ReportFilters,
    params: Record<string, unknown>,
    cell: Record<string, unknown>,
  ): Promise<Drill>;
};

function defineReport<S extends z.ZodObject, C extends z.ZodObject, R>(spec: {
  name: string;
  title: string;
  metric: { id: string; version: number };
  filtered: boolean;
  params: S;
  run(ctx: ReportContext, filters: ReportFilters, params: z.output<S>): Promise<R>;
  tables(result: R): ReportTable[];
  cell: C;
  records(ctx: ReportContext, filters: ReportFilters, params: z.output<S>, cell: z.output<C>): Promise<Drill>;
}): Report {
  return {
    ...spec,
    run: (ctx, filters, params) => spec.run(ctx, filters, spec.params.parse(params)),
    tables: (result) => spec.tables(result as R),
    records: (ctx, filters, params, cell) =>
      spec.records(ctx, filters, spec.params.parse(params), spec.cell.parse(cell)),
  };
}

const Stage = z.string().min(1).max(100);

/** A drill-down names a stage of the lifecycle's main path; another is a typo, refused rather than empty. */
function checkStage(definitions: Definitions, object: keyof typeof LIFECYCLE_OF, stage: string): void {
  const path = definitions.stages[LIFECYCLE_OF[object]].order[0] ?? [];
  if (!path.includes(stage))
    throw new ReportParamError('stage', `"${stage}" is not a stage of the ${object} funnel (${path.join(', ')})`);
}
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');
/** A lead channel as a figure names it; `(none)` for records without one. */
const LeadChannel = z.string().min(1).max(100);
const ObjectParam = z.enum(['contacts', 'deals', 'tickets']).default('deals');

const FUNNEL_OBJECTS = { contacts: 'contacts', deals: 'deals', tickets: 'tickets' } as const;

const funnel = defineReport({
  name: 'funnel',
  title: 'Funnel and velocity',
  metric: FUNNEL_METRIC,
  filtered: true,
  params: z.object({ object: ObjectParam }),
  run: (ctx, filters, params) =>
    funnelReport(ctx.db, ctx.portalId, ctx.definitions, FUNNEL_OBJECTS[params.object], filters),
  cell: z.object({ stage: Stage, cohort: Month.optional() }),
  records: (ctx, filters, params, cell) => {
    checkStage(ctx.definitions, params.object, cell.stage);
    return funnelRecords(ctx.db, ctx.portalId, params.object, filters, cell);
  },
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
  cell: z.object({ leadChannel: LeadChannel.optional(), outcome: z.enum(['won', 'lost']).optional() }),
  records: (ctx, filters, _params, cell) => winRateRecords(ctx.db, ctx.portalId, filters, cell),
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
  cell: z.object({
    measure: z.enum(['pipeline', 'revenue', 'won_deals', 'credited', 'covered']),
    creditChannel: z.string().min(1).max(100).optional(),
    kind: z.enum(['pipeline', 'revenue']).optional(),
  }),
  records: (ctx, filters, params, cell) =>
    spendEfficiencyRecords(ctx.db, ctx.portalId, resolveModel(ctx.definitions, params.model), filters, {
      measure: cell.measure,
      channel: cell.creditChannel,
      kind: cell.kind,
    }),
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
  cell: z.object({
    leadChannel: LeadChannel.optional(),
    measure: z.enum(['tickets', 'change_requests', 'onboarded', 'sla_breaches']),
    reason: z.string().min(1).max(200).optional(),
  }),
  records: (ctx, filters, _params, cell) => deliveryRecords(ctx.db, ctx.portalId, filters, cell),
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
  cell: z.object({
    kpi: z.enum([
      'completeness',
      'stage_conversion_integrity',
      'duplicate_rate',
      'sla_compliance',
      'trackable_touch_share',
      'findings_by_code',
      'findings_by_owner',
    ]),
    key: z.string().min(1).max(200).optional(),
    measure: z.enum(['base', 'counted']).optional(),
  }),
  records: (ctx, _filters, _params, cell) => {
    const objects = Object.keys(HUBSPOT_OBJECT_TYPE);
    const needs = (ok: boolean, what: string) => {
      if (!ok) throw new ReportParamError('key', `${cell.kpi} needs key=${what}`);
    };
    if (cell.kpi === 'completeness' || cell.kpi === 'stage_conversion_integrity')
      needs(objects.includes(cell.key ?? ''), `one of ${objects.join(', ')}`);
    if (cell.kpi === 'sla_compliance')
      needs(
        ctx.definitions.slas.some((sla) => sla.id === cell.key),
        `an SLA of the definitions (${ctx.definitions.slas.map((sla) => sla.id).join(', ')})`,
      );
    if (cell.kpi === 'findings_by_code') needs(cell.key !== undefined, 'a finding code');
    if (cell.kpi === 'findings_by_owner') needs(cell.key !== undefined, 'an owner id, or unowned');
    return kpiRecords(ctx.db, ctx.portalId, ctx.now, cell);
  },
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

const velocity = defineReport({
  name: 'velocity',
  title: 'Velocity',
  metric: VELOCITY_METRIC,
  filtered: true,
  params: z.object({ object: ObjectParam }),
  run: (ctx, filters, params) => velocityReport(ctx.db, ctx.portalId, ctx.definitions, params.object, filters),
  tables: (result) => [
    {
      name: 'stages',
      columns: ['stage', 'moves', 'median_days', 'p75_days'],
      rows: result.stages.map((s): Cell[] => [s.stage, s.moves, s.medianDays, s.p75Days]),
    },
  ],
  cell: z.object({ stage: Stage }),
  records: (ctx, filters, params, cell) => {
    checkStage(ctx.definitions, params.object, cell.stage);
    return velocityRecords(ctx.db, ctx.portalId, ctx.definitions, params.object, filters, cell);
  },
});

const cacPayback = defineReport({
  name: 'cac-payback',
  title: 'CAC payback inputs',
  metric: CAC_PAYBACK_METRIC,
  filtered: true,
  params: z.object({}),
  run: (ctx, filters) => cacPaybackReport(ctx.db, ctx.portalId, filters),
  tables: (result) => {
    const columns = [
      'channel',
      'spend_cents',
      'won_deals',
      'new_customers',
      'won_amount_cents',
      'average_won_amount_cents',
    ];
    return [
      {
        name: 'channels',
        columns: [...columns, 'cac_cents'],
        rows: result.channels.map((c): Cell[] => [
          c.channel,
          c.spendCents,
          c.wonDeals,
          c.newCustomers,
          c.wonAmountCents,
          c.averageWonAmountCents,
          c.cacCents,
        ]),
      },
      {
        name: 'months',
        columns: ['month', ...columns],
        rows: result.months.map((m): Cell[] => [
          m.month,
          m.channel,
          m.spendCents,
          m.wonDeals,
          m.newCustomers,
          m.wonAmountCents,
          m.averageWonAmountCents,
        ]),
      },
    ];
  },
  cell: z.object({
    leadChannel: LeadChannel.optional(),
    month: Month.optional(),
    measure: z.enum(['won_deals', 'new_customers']),
  }),
  records: (ctx, filters, _params, cell) => cacPaybackRecords(ctx.db, ctx.portalId, filters, cell),
});

export const REPORTS: readonly Report[] = [
  funnel,
  velocity,
  winRate,
  spendEfficiency,
  cacPayback,
  delivery,
  maturityKpis,
];

export function findReport(name: string): Report | undefined {
  return REPORTS.find((r) => r.name === name);
}

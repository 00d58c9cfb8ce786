import type { Queryable } from '../../db/pool.ts';
import { drillRecord, type Drill } from '../drill.ts';
import { filterParams, type ReportFilters } from '../filters.ts';

/**
 * Pipeline and revenue per $ of spend v1 — per channel, under one attribution model: pipeline credit
 * (cents) of deals created in [`from`, `to`], revenue credit of deals closed in it, ad spend of the
 * months that overlap it, and their ratios (credit ÷ spend; null without spend). `channel` selects a
 * credit channel; the other filters select deals. CAC payback inputs per channel: spend, deals won
 * with that lead channel, and their revenue credit. Coverage: the share of credited deals, and of
 * their amount, with at least one touch behind the credit (the rest went to `unattributed`), so no
 * ratio is read without it.
 *
 * Drill-down (`channel` names the row): `measure=pipeline|revenue` → the credited deals with their
 * credit in cents (they add up to the figure); `measure=won_deals` → the won deals of that lead
 * channel; `measure=credited|covered` with `kind=pipeline|revenue` → coverage's deals and those of them
 * with a touch behind the credit (no `channel`). Spend comes from the ingest API, not from HubSpot
 * records: the CAC report shows it by month.
 */
export const SPEND_EFFICIENCY_METRIC = { id: 'pipeline_per_dollar', version: 1 } as const;

export type ChannelEfficiency = {
  channel: string;
  spendCents: number;
  pipelineCents: number;
  revenueCents: number;
  pipelinePerDollar: number | null;
  revenuePerDollar: number | null;
  wonDeals: number;
};
export type Coverage = { deals: number; covered: number; share: number | null; amountShare: number | null };

export async function spendEfficiencyReport(
  db: Queryable,
  portalId: number,
  model: string,
  filters: ReportFilters,
): Promise<{ model: string; channels: ChannelEfficiency[]; coverage: { pipeline: Coverage; revenue: Coverage } }> {
  const params = [portalId, ...filterParams(filters), model];
  const credits = await db.query<{ channel: string; kind: string; cents: string }>(
    `SELECT c.channel, c.kind, sum(c.cents) AS cents
       FROM attribution_credits c
       JOIN report_records r ON r.portal_id = c.portal_id AND r.object_type = 'deals' AND r.object_id = c.deal_id
      WHERE c.portal_id = $1 AND c.model = $8
        AND ($4::text IS NULL OR c.channel = $4) AND ($5::text IS NULL OR r.icp_tier = $5)
        AND ($6::text IS NULL OR r.product_line = $6) AND ($7::text IS NULL OR r.owner_id = $7)
        AND (CASE WHEN c.kind = 'pipeline' THEN r.created_at ELSE r.closed_at END) >= coalesce($2::date, '-infinity')
        AND (CASE WHEN c.kind = 'pipeline' THEN r.created_at ELSE r.closed_at END) < coalesce($3::date + 1, 'infinity')
      GROUP BY c.channel, c.kind`,
    params,
  );
  const spend = await db.query<{ channel: string; cents: string }>(
    `SELECT s.channel, sum(s.cents) AS cents FROM ad_spend s
      WHERE s.portal_id = $1 AND ($2::date IS NULL OR s.month >= date_trunc('month', $2::date))
        AND ($3::date IS NULL OR s.month <= $3::date) AND ($4::text IS NULL OR s.channel = $4)
      GROUP BY s.channel`,
    [portalId, filters.from ?? null, filters.to ?? null, filters.channel ?? null],
  );
  const won = await db.query<{ channel: string; n: number }>(
    `SELECT r.lead_channel AS channel, count(*)::int AS n FROM report_records r
      WHERE r.portal_id = $1 AND r.object_type = 'deals' AND r.stage = 'closed_won' AND r.lead_channel IS NOT NULL
        AND ($2::date IS NULL OR r.closed_at >= $2::date) AND ($3::date IS NULL OR r.closed_at < $3::date + 1)
        AND ($4::text IS NULL OR r.lead_channel = $4) AND ($5::text IS NULL OR r.icp_tier = $5)
        AND ($6::text IS NULL OR r.product_line = $6) AND ($7::text IS NULL OR r.owner_id = $7)
      GROUP BY r.lead_channel`,
    [portalId, ...filterParams(filters)],
  );
  const coverage = await db.query<{
    kind: string;
    deals: number;
    covered: number;
    amount: string;
    covered_amount: string;
  }>(
    `SELECT d.kind, count(*)::int AS deals, count(*) FILTER (WHERE d.tracked)::int AS covered,
            sum(d.amount) AS amount, sum(d.amount) FILTER (WHERE d.tracked) AS covered_amount
       FROM (SELECT c.kind, c.deal_id, bool_or(c.touch_id <> '') AS tracked, max(r.amount_cents) AS amount
               FROM attribution_credits c
               JOIN report_records r ON r.portal_id = c.portal_id AND r.object_type = 'deals' AND r.object_id = c.deal_id
              WHERE c.portal_id = $1 AND c.model = $7
                AND ($4::text IS NULL OR r.icp_tier = $4) AND ($5::text IS NULL OR r.product_line = $5)
                AND ($6::text IS NULL OR r.owner_id = $6)
                AND (CASE WHEN c.kind = 'pipeline' THEN r.created_at ELSE r.closed_at END) >= coalesce($2::date, '-infinity')
                AND (CASE WHEN c.kind = 'pipeline' THEN r.created_at ELSE r.closed_at END) < coalesce($3::date + 1, 'infinity')
              GROUP BY c.kind, c.deal_id) d
      GROUP BY d.kind`,
    [portalId, filters.from ?? null, filters.to ?? null, ...filterParams(filters).slice(3), model],
  );

  const channels = new Map<string, ChannelEfficiency>();
  const at = (channel: string) => {
    let row = channels.get(channel);
    if (!row) {
      row = {
        channel,
        spendCents: 0,
        pipelineCents: 0,
        revenueCents: 0,
        pipelinePerDollar: null,
        revenuePerDollar: null,
        wonDeals: 0,
      };
      channels.set(channel, row);
    }
    return row;
  };
  for (const c of credits.rows) {
    if (c.kind === 'pipeline') at(c.channel).pipelineCents = Number(c.cents);
    else at(c.channel).revenueCents = Number(c.cents);
  }
  for (const s of spend.rows) at(s.channel).spendCents = Number(s.cents);
  for (const w of won.rows) at(w.channel).wonDeals = w.n;
  const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
  for (const row of channels.values()) {
    row.pipelinePerDollar = ratio(row.pipelineCents, row.spendCents);
    row.revenuePerDollar = ratio(row.revenueCents, row.spendCents);
  }
  const coverageOf = (kind: string): Coverage => {
    const row = coverage.rows.find((r) => r.kind === kind);
    if (!row) return { deals: 0, covered: 0, share: null, amountShare: null };
    return {
      deals: row.deals,
      covered: row.covered,
      share: ratio(row.covered, row.deals),
      amountShare: ratio(Number(row.covered_amount ?? 0), Number(row.amount ?? 0)),
    };
  };
  return {
    model,
    channels: [...channels.values()].sort((a, b) => (a.channel < b.channel ? -1 : 1)),
    coverage: { pipeline: coverageOf('pipeline'), revenue: coverageOf('revenue') },
  };
}

export type SpendDrillCell = {
  measure: 'pipeline' | 'revenue' | 'won_deals' | 'credited' | 'covered';
  channel?: string | undefined;
  kind?: 'pipeline' | 'revenue' | undefined;
};

export async function spendEfficiencyRecords(
  db: Queryable,
  portalId: number,
  model: string,
  filters: ReportFilters,
  cell: SpendDrillCell,
): Promise<Drill> {
  if (cell.measure === 'won_deals') {
    const { rows } = await db.query<{ object_id: string; amount_cents: number | null }>(
      `SELECT r.object_id, r.amount_cents FROM report_records r
        WHERE r.portal_id = $1 AND r.object_type = 'deals' AND r.stage = 'closed_won' AND r.lead_channel IS NOT NULL
          AND ($2::date IS NULL OR r.closed_at >= $2::date) AND ($3::date IS NULL OR r.closed_at < $3::date + 1)
          AND ($4::text IS NULL OR r.lead_channel = $4) AND ($5::text IS NULL OR r.icp_tier = $5)
          AND ($6::text IS NULL OR r.product_line = $6) AND ($7::text IS NULL OR r.owner_id = $7)
          AND r.lead_channel = $8
        ORDER BY r.object_id`,
      [portalId, ...filterParams(filters), cell.channel ?? ''],
    );
    return {
      figure: `Won deals with lead channel ${cell.channel ?? ''}`,
      columns: ['amount_cents'],
      records: rows.map((r) => drillRecord(portalId, 'deals', r.object_id, { amount_cents: r.amount_cents })),
    };
  }
  if (cell.measure === 'credited' || cell.measure === 'covered') {
    const kind = cell.kind ?? 'pipeline';
    const { rows } = await db.query<{ deal_id: string; tracked: boolean; amount: number | null }>(
      `SELECT c.deal_id, bool_or(c.touch_id <> '') AS tracked, max(r.amount_cents) AS amount
         FROM attribution_credits c
         JOIN report_records r ON r.portal_id = c.portal_id AND r.object_type = 'deals' AND r.object_id = c.deal_id
        WHERE c.portal_id = $1 AND c.model = $7 AND c.kind = $8
          AND ($4::text IS NULL OR r.icp_tier = $4) AND ($5::text IS NULL OR r.product_line = $5)
          AND ($6::text IS NULL OR r.owner_id = $6)
          AND (CASE WHEN c.kind = 'pipeline' THEN r.created_at ELSE r.closed_at END) >= coalesce($2::date, '-infinity')
          AND (CASE WHEN c.kind = 'pipeline' THEN r.created_at ELSE r.closed_at END) < coalesce($3::date + 1, 'infinity')
        GROUP BY c.deal_id
        ORDER BY c.deal_id`,
      [portalId, filters.from ?? null, filters.to ?? null, ...filterParams(filters).slice(3), model, kind],
    );
    const list = cell.measure === 'covered' ? rows.filter((r) => r.tracked) : rows;
    return {
      figure: `Deals with ${kind} credit under ${model}${cell.measure === 'covered' ? ', with a touch behind it' : ''}`,
      columns: ['touch_behind_credit', 'amount_cents'],
      records: list.map((r) =>
        drillRecord(portalId, 'deals', r.deal_id, { touch_behind_credit: r.tracked, amount_cents: r.amount }),
      ),
    };
  }
  const { rows } = await db.query<{ deal_id: string; cents: string }>(
    `SELECT c.deal_id, sum(c.cents) AS cents
       FROM attribution_credits c
       JOIN report_records r ON r.portal_id = c.portal_id AND r.object_type = 'deals' AND r.object_id = c.deal_id
      WHERE c.portal_id = $1 AND c.model = $8 AND c.kind = $9 AND c.channel = $10
        AND ($4::text IS NULL OR c.channel = $4) AND ($5::text IS NULL OR r.icp_tier = $5)
        AND ($6::text IS NULL OR r.product_line = $6) AND ($7::text IS NULL OR r.owner_id = $7)
        AND (CASE WHEN c.kind = 'pipeline' THEN r.created_at ELSE r.closed_at END) >= coalesce($2::date, '-infinity')
        AND (CASE WHEN c.kind = 'pipeline' THEN r.created_at ELSE r.closed_at END) < coalesce($3::date + 1, 'infinity')
      GROUP BY c.deal_id
      ORDER BY c.deal_id`,
    [portalId, ...filterParams(filters), model, cell.measure, cell.channel ?? ''],
  );
  const records = rows.map((r) => drillRecord(portalId, 'deals', r.deal_id, { credit_cents: Number(r.cents) }));
  return {
    figure: `Deals credited to ${cell.channel ?? ''} (${cell.measure}, ${model})`,
    columns: ['credit_cents'],
    records,
    sum: { column: 'credit_cents', value: records.reduce((n, r) => n + Number(r.values.credit_cents), 0) },
  };
}

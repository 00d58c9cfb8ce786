import type { Queryable } from '../../db/pool.ts';
import { channelCell, drillRecord, type Drill } from '../drill.ts';
import { filterParams, hubspotRecordUrl, type ReportFilters } from '../filters.ts';

/**
 * Win rate v1 — over deals in scope closed (at Closed Won or Closed Lost) with a close date in
 * [`from`, `to`] and matching the filters: won ÷ (won + lost), overall and per lead channel; null
 * when no deal closed. Each row lists its deals, with links into HubSpot.
 *
 * Drill-down: `leadChannel` (omitted: every channel; `(none)`: deals without one) and `outcome`
 * (`won`, `lost`; omitted: both) → those deals (the `won` and `lost` figures).
 */
export const WIN_RATE_METRIC = { id: 'win_rate', version: 1 } as const;

export type WinRateRow = {
  leadChannel: string | null;
  won: number;
  lost: number;
  winRate: number | null;
  deals: { id: number; stage: string; url: string }[];
};

export async function winRateReport(
  db: Queryable,
  portalId: number,
  filters: ReportFilters,
): Promise<{ overall: Omit<WinRateRow, 'leadChannel' | 'deals'>; byChannel: WinRateRow[] }> {
  const { rows } = await db.query<{ object_id: string; stage: string; lead_channel: string | null }>(
    `SELECT r.object_id, r.stage, r.lead_channel FROM report_records r
      WHERE r.portal_id = $1 AND r.object_type = 'deals' AND r.stage IN ('closed_won', 'closed_lost')
        AND ($2::date IS NULL OR r.closed_at >= $2::date) AND ($3::date IS NULL OR r.closed_at < $3::date + 1)
        AND ($4::text IS NULL OR r.lead_channel = $4) AND ($5::text IS NULL OR r.icp_tier = $5)
        AND ($6::text IS NULL OR r.product_line = $6) AND ($7::text IS NULL OR r.owner_id = $7)
      ORDER BY r.lead_channel NULLS LAST, r.object_id`,
    [portalId, ...filterParams(filters)],
  );
  const tally = (list: typeof rows) => {
    const won = list.filter((r) => r.stage === 'closed_won').length;
    const lost = list.length - won;
    return { won, lost, winRate: list.length === 0 ? null : Math.round((won / list.length) * 10_000) / 10_000 };
  };
  const channels = [...new Set(rows.map((r) => r.lead_channel))];
  return {
    overall: tally(rows),
    byChannel: channels.map((channel) => {
      const list = rows.filter((r) => r.lead_channel === channel);
      return {
        leadChannel: channel,
        ...tally(list),
        deals: list.map((r) => ({
          id: Number(r.object_id),
          stage: r.stage,
          url: hubspotRecordUrl(portalId, 'deals', r.object_id),
        })),
      };
    }),
  };
}

export async function winRateRecords(
  db: Queryable,
  portalId: number,
  filters: ReportFilters,
  cell: { leadChannel?: string | undefined; outcome?: 'won' | 'lost' | undefined },
): Promise<Drill> {
  const [byChannel, channel] = channelCell(cell.leadChannel);
  const stages = cell.outcome === undefined ? ['closed_won', 'closed_lost'] : [`closed_${cell.outcome}`];
  const { rows } = await db.query<{ object_id: string; stage: string; lead_channel: string | null; closed_at: Date }>(
    `SELECT r.object_id, r.stage, r.lead_channel, r.closed_at FROM report_records r
      WHERE r.portal_id = $1 AND r.object_type = 'deals' AND r.stage = ANY($8::text[])
        AND ($2::date IS NULL OR r.closed_at >= $2::date) AND ($3::date IS NULL OR r.closed_at < $3::date + 1)
        AND ($4::text IS NULL OR r.lead_channel = $4) AND ($5::text IS NULL OR r.icp_tier = $5)
        AND ($6::text IS NULL OR r.product_line = $6) AND ($7::text IS NULL OR r.owner_id = $7)
        AND (NOT $9::boolean OR r.lead_channel IS NOT DISTINCT FROM $10::text)
      ORDER BY r.object_id`,
    [portalId, ...filterParams(filters), stages, byChannel, channel],
  );
  return {
    figure: `Deals ${cell.outcome ?? 'closed'}${byChannel ? `, lead channel ${channel ?? '(none)'}` : ''}`,
    columns: ['stage', 'lead_channel', 'closed_at'],
    records: rows.map((r) =>
      drillRecord(portalId, 'deals', r.object_id, {
        stage: r.stage,
        lead_channel: r.lead_channel,
        closed_at: r.closed_at?.toISOString() ?? null,
      }),
    ),
  };
}

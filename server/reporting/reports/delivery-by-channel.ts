import type { Queryable } from '../../db/pool.ts';
import { percentile } from '../../domain/metrics/index.ts';
import { channelCell, drillRecord, type Drill } from '../drill.ts';
import { filterParams, hubspotRecordUrl, type ReportFilters } from '../filters.ts';

/**
 * Delivery outcomes by lead channel v1 — the closed loop itself: for delivery tickets in scope
 * created in [`from`, `to`], grouped by their lead channel (section 8: the lead channel of the ticket's
 * deal with the lowest id), the tickets, those with a change request (`clr_change_request_reason` set)
 * and the change-request rate (÷ tickets), the reasons, the median onboarding days (onboarding →
 * next delivery stage, over tickets that moved on) and SLA breaches (a clock of the ticket past its
 * limit, as of the last refresh). `icpTier`/`productLine`/`ownerId` select tickets by their own values.
 *
 * Drill-down: `leadChannel` (`(none)` for tickets without one) and `measure` → the tickets behind
 * `tickets`, `change_requests` (optionally of one `reason`), `onboarded` (the base of the median
 * onboarding days, with their days) or `sla_breaches`.
 */
export const DELIVERY_METRIC = { id: 'delivery_by_lead_channel', version: 1 } as const;

export type DeliveryRow = {
  leadChannel: string | null;
  tickets: number;
  changeRequests: number;
  changeRequestRate: number | null;
  reasons: Record<string, number>;
  medianOnboardingDays: number | null;
  slaBreaches: number;
  records: { id: number; url: string }[];
};

export async function deliveryByChannelReport(
  db: Queryable,
  portalId: number,
  filters: ReportFilters,
): Promise<DeliveryRow[]> {
  const rows = await deliveryRows(db, portalId, filters);
  const channels = [...new Set(rows.map((r) => r.lead_channel))];
  return channels.map((channel) => {
    const list = rows.filter((r) => r.lead_channel === channel);
    const reasons: Record<string, number> = {};
    for (const r of list)
      if (r.change_request_reason) reasons[r.change_request_reason] = (reasons[r.change_request_reason] ?? 0) + 1;
    const changeRequests = list.filter((r) => r.change_request_reason !== null).length;
    const days = list
      .flatMap((r) => (r.onboarding_days === null ? [] : [Number(r.onboarding_days)]))
      .sort((a, b) => a - b);
    return {
      leadChannel: channel,
      tickets: list.length,
      changeRequests,
      changeRequestRate: list.length === 0 ? null : Math.round((changeRequests / list.length) * 10_000) / 10_000,
      reasons,
      medianOnboardingDays: percentile(days, 0.5),
      slaBreaches: list.filter((r) => r.sla_breached).length,
      records: list.map((r) => ({ id: Number(r.ticket_id), url: hubspotRecordUrl(portalId, 'tickets', r.ticket_id) })),
    };
  });
}

type DeliveryFact = {
  ticket_id: string;
  lead_channel: string | null;
  onboarding_days: string | null;
  change_request_reason: string | null;
  sla_breached: boolean;
};

async function deliveryRows(db: Queryable, portalId: number, filters: ReportFilters): Promise<DeliveryFact[]> {
  const { rows } = await db.query<DeliveryFact>(
    `SELECT d.ticket_id, d.lead_channel, d.onboarding_days, d.change_request_reason, d.sla_breached
       FROM report_delivery d
       JOIN report_records r ON r.portal_id = d.portal_id AND r.object_type = 'tickets' AND r.object_id = d.ticket_id
      WHERE d.portal_id = $1
        AND ($2::date IS NULL OR r.created_at >= $2::date) AND ($3::date IS NULL OR r.created_at < $3::date + 1)
        AND ($4::text IS NULL OR d.lead_channel = $4) AND ($5::text IS NULL OR r.icp_tier = $5)
        AND ($6::text IS NULL OR r.product_line = $6) AND ($7::text IS NULL OR r.owner_id = $7)
      ORDER BY d.lead_channel NULLS LAST, d.ticket_id`,
    [portalId, ...filterParams(filters)],
  );
  return rows;
}

export type DeliveryDrillCell = {
  leadChannel?: string | undefined;
  measure: 'tickets' | 'change_requests' | 'onboarded' | 'sla_breaches';
  reason?: string | undefined;
};

export async function deliveryRecords(
  db: Queryable,
  portalId: number,
  filters: ReportFilters,
  cell: DeliveryDrillCell,
): Promise<Drill> {
  const [byChannel, channel] = channelCell(cell.leadChannel);
  const rows = (await deliveryRows(db, portalId, filters)).filter((r) => !byChannel || r.lead_channel === channel);
  const keep: Record<DeliveryDrillCell['measure'], (r: DeliveryFact) => boolean> = {
    tickets: () => true,
    change_requests: (r) =>
      r.change_request_reason !== null && (cell.reason === undefined || r.change_request_reason === cell.reason),
    onboarded: (r) => r.onboarding_days !== null,
    sla_breaches: (r) => r.sla_breached,
  };
  const list = rows
    .filter(keep[cell.measure])
    .sort((a, b) =>
      cell.measure === 'onboarded'
        ? Number(a.onboarding_days) - Number(b.onboarding_days) || Number(a.ticket_id) - Number(b.ticket_id)
        : Number(a.ticket_id) - Number(b.ticket_id),
    );
  return {
    figure: `Tickets (${cell.measure.replace('_', ' ')}${cell.reason ? `: ${cell.reason}` : ''})${
      byChannel ? `, lead channel ${channel ?? '(none)'}` : ''
    }`,
    columns: ['lead_channel', 'change_request_reason', 'onboarding_days', 'sla_breached'],
    records: list.map((r) =>
      drillRecord(portalId, 'tickets', r.ticket_id, {
        lead_channel: r.lead_channel,
        change_request_reason: r.change_request_reason,
        onboarding_days: r.onboarding_days === null ? null : Number(r.onboarding_days),
        sla_breached: r.sla_breached,
      }),
    ),
  };
}

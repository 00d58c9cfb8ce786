import type { Queryable } from '../pool.ts';

export type ReportRecordRow = {
  objectType: string;
  objectId: number;
  stage: string;
  ownerId: string | null;
  leadChannel: string | null;
  icpTier: string | null;
  productLine: string | null;
  amountCents: number | null;
  createdAt: Date;
  closedAt: Date | null;
};
export type StageEntryRow = {
  objectType: string;
  objectId: number;
  stage: string;
  stageIndex: number;
  enteredAt: Date;
};
export type DeliveryRow = {
  ticketId: number;
  dealId: number | null;
  leadChannel: string | null;
  onboardingDays: number | null;
  changeRequestReason: string | null;
  slaBreached: boolean;
};

/** Empties a portal's reporting tables before a rebuild (in the rebuild's transaction). */
export async function clearReporting(db: Queryable, portalId: number): Promise<void> {
  await db.query(`DELETE FROM report_records WHERE portal_id = $1`, [portalId]);
  await db.query(`DELETE FROM report_stage_entries WHERE portal_id = $1`, [portalId]);
  await db.query(`DELETE FROM report_delivery WHERE portal_id = $1`, [portalId]);
}

export async function insertReportRows(
  db: Queryable,
  portalId: number,
  rows: { records: ReportRecordRow[]; entries: StageEntryRow[]; delivery: DeliveryRow[] },
): Promise<void> {
  if (rows.records.length > 0) {
    await db.query(
      `INSERT INTO report_records (portal_id, object_type, object_id, stage, owner_id, lead_channel, icp_tier, product_line,
                                   amount_cents, created_at, closed_at)
       SELECT $1, r."objectType", r."objectId", r.stage, r."ownerId", r."leadChannel", r."icpTier", r."productLine",
              r."amountCents", r."createdAt", r."closedAt"
         FROM jsonb_to_recordset($2::jsonb) AS r("objectType" text, "objectId" bigint, stage text, "ownerId" text,
              "leadChannel" text, "icpTier" text, "productLine" text, "amountCents" bigint, "createdAt" timestamptz,
              "closedAt" timestamptz)`,
      [portalId, JSON.stringify(rows.records)],
    );
  }
  if (rows.entries.length > 0) {
    await db.query(
      `INSERT INTO report_stage_entries (portal_id, object_type, object_id, stage, stage_index, entered_at)
       SELECT $1, e."objectType", e."objectId", e.stage, e."stageIndex", e."enteredAt"
         FROM jsonb_to_recordset($2::jsonb) AS e("objectType" text, "objectId" bigint, stage text, "stageIndex" int,
              "enteredAt" timestamptz)`,
      [portalId, JSON.stringify(rows.entries)],
    );
  }
  if (rows.delivery.length > 0) {
    await db.query(
      `INSERT INTO report_delivery (portal_id, ticket_id, deal_id, lead_channel, onboarding_days, change_request_reason,
                                    sla_breached)
       SELECT $1, d."ticketId", d."dealId", d."leadChannel", d."onboardingDays", d."changeRequestReason", d."slaBreached"
         FROM jsonb_to_recordset($2::jsonb) AS d("ticketId" bigint, "dealId" bigint, "leadChannel" text,
              "onboardingDays" numeric, "changeRequestReason" text, "slaBreached" boolean)`,
      [portalId, JSON.stringify(rows.delivery)],
    );
  }
}

export async function markReportingRefreshed(
  db: Queryable,
  portalId: number,
  refresh: { at: Date; definitionsVersion: number; records: number },
): Promise<void> {
  await db.query(
    `INSERT INTO report_refreshes (portal_id, refreshed_at, definitions_version, records) VALUES ($1, $2, $3, $4)
     ON CONFLICT (portal_id) DO UPDATE
        SET refreshed_at = EXCLUDED.refreshed_at, definitions_version = EXCLUDED.definitions_version,
            records = EXCLUDED.records`,
    [portalId, refresh.at, refresh.definitionsVersion, refresh.records],
  );
}

export async function lastReportingRefresh(
  db: Queryable,
  portalId: number,
): Promise<{ refreshedAt: Date; definitionsVersion: number; records: number } | undefined> {
  const { rows } = await db.query<{ refreshedAt: Date; definitionsVersion: number; records: number }>(
    `SELECT refreshed_at AS "refreshedAt", definitions_version AS "definitionsVersion", records
       FROM report_refreshes WHERE portal_id = $1`,
    [portalId],
  );
  return rows[0];
}

/** Touches of a portal, and how many of them carry a channel the taxonomy can place (trackable). */
export async function touchTrackability(
  db: Queryable,
  portalId: number,
): Promise<{ total: number; trackable: number }> {
  const { rows } = await db.query<{ total: number; trackable: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE trackable)::int AS trackable FROM touches WHERE portal_id = $1`,
    [portalId],
  );
  return rows[0] ?? { total: 0, trackable: 0 };
}

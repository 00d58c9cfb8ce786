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
  companyId: number | null;
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
export type ScopeRow = {
  objectType: string;
  objectId: number;
  inScope: boolean;
  duplicateKeyed: boolean;
  ownerId: string | null;
};
/** `breachAt`: null never, -Infinity always, else the instant (migration 0015). */
export type SlaClockRow = {
  objectType: string;
  objectId: number;
  sla: string;
  startedAt: Date;
  breachAt: Date | number | null;
};
export type ReportRows = {
  records: ReportRecordRow[];
  entries: StageEntryRow[];
  delivery: DeliveryRow[];
  scope: ScopeRow[];
  clocks: SlaClockRow[];
};
export type ReportingRefresh = {
  refreshedAt: Date;
  definitionsVersion: number;
  records: number;
  kind: 'full' | 'incremental';
  fullRefreshedAt: Date | null;
  rederived: number;
  touches: { total: number; trackable: number };
};
/** A record the next refresh must re-derive, by its mirror table (`deals`…). */
export type PendingRecord = { objectType: string; objectId: number };

/**
 * Makes sure the portal's report_refreshes row exists and is committed (a placeholder, version 0, before
 * the first refresh): from then on every write to the mirror or to attribution's channels marks its
 * records for the next refresh (migration 0015). Call on the pool, outside the refresh's transaction.
 */
export async function startReportingMarks(db: Queryable, portalId: number): Promise<void> {
  await db.query(
    `INSERT INTO report_refreshes (portal_id, refreshed_at, definitions_version, records)
     VALUES ($1, '-infinity', 0, 0) ON CONFLICT (portal_id) DO NOTHING`,
    [portalId],
  );
}

/**
 * Serialises refreshes of one portal for the rest of the transaction (a second one waits, then sees
 * what the first wrote) and returns the last refresh, or undefined before the first. The row is
 * created as a placeholder when missing (`startReportingMarks` normally did); the refresh overwrites it
 * before committing.
 */
export async function lockReportingRefresh(db: Queryable, portalId: number): Promise<ReportingRefresh | undefined> {
  await db.query(
    `INSERT INTO report_refreshes (portal_id, refreshed_at, definitions_version, records)
     VALUES ($1, '-infinity', 0, 0) ON CONFLICT (portal_id) DO NOTHING`,
    [portalId],
  );
  const { rows } = await db.query<{ definitionsVersion: number }>(
    `SELECT definitions_version AS "definitionsVersion" FROM report_refreshes WHERE portal_id = $1 FOR UPDATE`,
    [portalId],
  );
  if ((rows[0]?.definitionsVersion ?? 0) === 0) return undefined;
  return lastReportingRefresh(db, portalId);
}

/** Takes (deletes and returns) every record marked for re-derivation; call before reading them. */
export async function takePendingRecords(db: Queryable, portalId: number): Promise<PendingRecord[]> {
  const { rows } = await db.query<{ objectType: string; objectId: number }>(
    `WITH taken AS (DELETE FROM report_pending WHERE portal_id = $1 RETURNING object_type, object_id)
     SELECT DISTINCT object_type AS "objectType", object_id AS "objectId" FROM taken`,
    [portalId],
  );
  return rows;
}

/**
 * Records with an SLA clock whose verdict differs between two instants: breach_at in [earlier, later)
 * (breached at t is breach_at < t). Their stored delivery outcome changed with the clock alone.
 */
export async function clocksCrossing(db: Queryable, portalId: number, a: Date, b: Date): Promise<PendingRecord[]> {
  const { rows } = await db.query<{ objectType: string; objectId: number }>(
    `SELECT DISTINCT object_type AS "objectType", object_id AS "objectId" FROM report_sla_clocks
      WHERE portal_id = $1 AND breach_at IS NOT NULL AND breach_at > '-infinity'
        AND breach_at >= least($2::timestamptz, $3::timestamptz) AND breach_at < greatest($2::timestamptz, $3::timestamptz)`,
    [portalId, a, b],
  );
  return rows;
}

/** Empties a portal's reporting tables and pending marks before a full rebuild (in its transaction). */
export async function clearReporting(db: Queryable, portalId: number): Promise<void> {
  await db.query(`DELETE FROM report_pending WHERE portal_id = $1`, [portalId]);
  await db.query(`DELETE FROM report_records WHERE portal_id = $1`, [portalId]);
  await db.query(`DELETE FROM report_stage_entries WHERE portal_id = $1`, [portalId]);
  await db.query(`DELETE FROM report_delivery WHERE portal_id = $1`, [portalId]);
  await db.query(`DELETE FROM report_record_scope WHERE portal_id = $1`, [portalId]);
  await db.query(`DELETE FROM report_sla_clocks WHERE portal_id = $1`, [portalId]);
}

/**
 * Deletes the rows of some records of one type from every reporting table, before they are derived
 * again (or not, when gone or out of scope). Returns how many of them were in report_records.
 */
export async function deleteReportRowsOf(
  db: Queryable,
  portalId: number,
  objectType: string,
  ids: readonly number[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const records = await db.query(
    `DELETE FROM report_records WHERE portal_id = $1 AND object_type = $2 AND object_id = ANY($3::bigint[])`,
    [portalId, objectType, ids],
  );
  await db.query(
    `DELETE FROM report_stage_entries WHERE portal_id = $1 AND object_type = $2 AND object_id = ANY($3::bigint[])`,
    [portalId, objectType, ids],
  );
  if (objectType === 'tickets') {
    await db.query(`DELETE FROM report_delivery WHERE portal_id = $1 AND ticket_id = ANY($2::bigint[])`, [
      portalId,
      ids,
    ]);
  }
  await db.query(
    `DELETE FROM report_record_scope WHERE portal_id = $1 AND object_type = $2 AND object_id = ANY($3::bigint[])`,
    [portalId, objectType, ids],
  );
  await db.query(
    `DELETE FROM report_sla_clocks WHERE portal_id = $1 AND object_type = $2 AND object_id = ANY($3::bigint[])`,
    [portalId, objectType, ids],
  );
  return records.rowCount ?? 0;
}

export async function insertReportRows(db: Queryable, portalId: number, rows: ReportRows): Promise<void> {
  if (rows.records.length > 0) {
    await db.query(
      `INSERT INTO report_records (portal_id, object_type, object_id, stage, owner_id, lead_channel, icp_tier, product_line,
                                   amount_cents, created_at, closed_at, company_id)
       SELECT $1, r."objectType", r."objectId", r.stage, r."ownerId", r."leadChannel", r."icpTier", r."productLine",
              r."amountCents", r."createdAt", r."closedAt", r."companyId"
         FROM jsonb_to_recordset($2::jsonb) AS r("objectType" text, "objectId" bigint, stage text, "ownerId" text,
              "leadChannel" text, "icpTier" text, "productLine" text, "amountCents" bigint, "createdAt" timestamptz,
              "closedAt" timestamptz, "companyId" bigint)`,
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
  if (rows.scope.length > 0) {
    await db.query(
      `INSERT INTO report_record_scope (portal_id, object_type, object_id, in_scope, duplicate_keyed, owner_id)
       SELECT $1, s."objectType", s."objectId", s."inScope", s."duplicateKeyed", s."ownerId"
         FROM jsonb_to_recordset($2::jsonb) AS s("objectType" text, "objectId" bigint, "inScope" boolean,
              "duplicateKeyed" boolean, "ownerId" text)`,
      [portalId, JSON.stringify(rows.scope)],
    );
  }
  if (rows.clocks.length > 0) {
    // -Infinity does not survive JSON: it travels as the text Postgres reads as '-infinity'.
    const clocks = rows.clocks.map((c) => ({
      ...c,
      breachAt: c.breachAt === -Infinity ? '-infinity' : c.breachAt === null ? null : new Date(c.breachAt),
    }));
    await db.query(
      `INSERT INTO report_sla_clocks (portal_id, object_type, object_id, sla, started_at, breach_at)
       SELECT $1, c."objectType", c."objectId", c.sla, c."startedAt", c."breachAt"
         FROM jsonb_to_recordset($2::jsonb) AS c("objectType" text, "objectId" bigint, sla text, "startedAt" timestamptz,
              "breachAt" timestamptz)`,
      [portalId, JSON.stringify(clocks)],
    );
  }
}

export async function markReportingRefreshed(
  db: Queryable,
  portalId: number,
  refresh: Omit<ReportingRefresh, 'fullRefreshedAt'> & { fullRefreshedAt: Date | null },
): Promise<void> {
  await db.query(
    `INSERT INTO report_refreshes (portal_id, refreshed_at, definitions_version, records, kind, full_refreshed_at,
                                   rederived, touches, trackable_touches)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (portal_id) DO UPDATE
        SET refreshed_at = EXCLUDED.refreshed_at, definitions_version = EXCLUDED.definitions_version,
            records = EXCLUDED.records, kind = EXCLUDED.kind, full_refreshed_at = EXCLUDED.full_refreshed_at,
            rederived = EXCLUDED.rederived, touches = EXCLUDED.touches, trackable_touches = EXCLUDED.trackable_touches`,
    [
      portalId,
      refresh.refreshedAt,
      refresh.definitionsVersion,
      refresh.records,
      refresh.kind,
      refresh.fullRefreshedAt,
      refresh.rederived,
      refresh.touches.total,
      refresh.touches.trackable,
    ],
  );
}

/** The last refresh of a portal's reporting model: when, under which definitions, full or incremental. */
export async function lastReportingRefresh(db: Queryable, portalId: number): Promise<ReportingRefresh | undefined> {
  const { rows } = await db.query<{
    refreshedAt: Date;
    definitionsVersion: number;
    records: number;
    kind: 'full' | 'incremental';
    fullRefreshedAt: Date | null;
    rederived: number;
    touches: number;
    trackableTouches: number;
  }>(
    `SELECT refreshed_at AS "refreshedAt", definitions_version AS "definitionsVersion", records, kind,
            full_refreshed_at AS "fullRefreshedAt", rederived, touches, trackable_touches AS "trackableTouches"
       FROM report_refreshes WHERE portal_id = $1 AND definitions_version > 0`,
    [portalId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { touches, trackableTouches, ...rest } = row;
  return { ...rest, touches: { total: touches, trackable: trackableTouches } };
}

/** The companies of each deal's associated contacts (a deal's customer when it has no company of its own). */
export async function companiesOfDealContacts(
  db: Queryable,
  portalId: number,
  dealIds: readonly number[],
): Promise<Map<number, string[]>> {
  const companies = new Map<number, string[]>();
  if (dealIds.length === 0) return companies;
  const { rows } = await db.query<{ deal: number; companies: string[] }>(
    `SELECT d.to_id AS deal, array_agg(DISTINCT c.from_id::text) AS companies
       FROM associations d
       JOIN associations c ON c.portal_id = d.portal_id AND c.from_type = 'companies' AND c.to_type = 'contacts'
                          AND c.to_id = d.from_id
      WHERE d.portal_id = $1 AND d.from_type = 'contacts' AND d.to_type = 'deals' AND d.to_id = ANY($2::bigint[])
      GROUP BY d.to_id`,
    [portalId, dealIds],
  );
  for (const row of rows) companies.set(row.deal, row.companies);
  return companies;
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

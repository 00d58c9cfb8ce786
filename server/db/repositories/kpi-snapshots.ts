import type { Queryable } from '../pool.ts';

/** The monthly KPI snapshots (migration 0013): one row per portal and month, written once. */

export type KpiSnapshotRow = {
  month: string;
  takenAt: Date;
  definitionsVersion: number;
  kpis: unknown;
  decisions: unknown;
};

/** Stores the month's snapshot unless it has one (a retried or repeated run); returns whether it did. */
export async function insertKpiSnapshot(db: Queryable, portalId: number, snapshot: KpiSnapshotRow): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO kpi_snapshots (portal_id, month, taken_at, definitions_version, kpis, decisions)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (portal_id, month) DO NOTHING`,
    [
      portalId,
      snapshot.month,
      snapshot.takenAt,
      snapshot.definitionsVersion,
      JSON.stringify(snapshot.kpis),
      JSON.stringify(snapshot.decisions),
    ],
  );
  return (rowCount ?? 0) > 0;
}

const COLUMNS = `month, taken_at AS "takenAt", definitions_version AS "definitionsVersion", kpis, decisions`;

export async function findKpiSnapshot(
  db: Queryable,
  portalId: number,
  month: string,
): Promise<KpiSnapshotRow | undefined> {
  const { rows } = await db.query<KpiSnapshotRow>(
    `SELECT ${COLUMNS} FROM kpi_snapshots WHERE portal_id = $1 AND month = $2`,
    [portalId, month],
  );
  return rows[0];
}

/** A portal's snapshots in month order, from `fromMonth` (`YYYY-MM`, inclusive) when given: a trend. */
export async function listKpiSnapshots(db: Queryable, portalId: number, fromMonth?: string): Promise<KpiSnapshotRow[]> {
  const { rows } = await db.query<KpiSnapshotRow>(
    `SELECT ${COLUMNS} FROM kpi_snapshots WHERE portal_id = $1 AND ($2::text IS NULL OR month >= $2) ORDER BY month`,
    [portalId, fromMonth ?? null],
  );
  return rows;
}

import type pg from 'pg';
import { findKpiSnapshot, insertKpiSnapshot, type KpiSnapshotRow } from '../db/repositories/kpi-snapshots.ts';
import { currentDefinitions } from '../definitions/current-definitions.ts';
import { decisionKpis } from '../decisions/decision-kpis.ts';
import { monthOf, previousMonth } from '../domain/metrics/index.ts';
import { kpisReport } from '../reporting/reports/kpis.ts';

/**
 * Freezes a portal's KPIs for the month `now` falls in (taken on the 1st: the state the month opens
 * with), with the decision-log KPIs of the month before, for trend charts. Once per month: if the month
 * has a snapshot, it stands and nothing is computed.
 */
export async function takeMonthlySnapshot(
  db: pg.Pool,
  portalId: number,
  now: Date,
): Promise<{ snapshot: KpiSnapshotRow; created: boolean }> {
  const month = monthOf(now);
  const existing = await findKpiSnapshot(db, portalId, month);
  if (existing) return { snapshot: existing, created: false };
  const current = await currentDefinitions(db, portalId);
  const { from, to } = previousMonth(now);
  const snapshot: KpiSnapshotRow = {
    month,
    takenAt: now,
    definitionsVersion: current.version,
    kpis: await kpisReport(db, portalId, current.definitions, now),
    decisions: { from: from.toISOString(), to: to.toISOString(), ...(await decisionKpis(db, portalId, from, to, now)) },
  };
  if (await insertKpiSnapshot(db, portalId, snapshot)) return { snapshot, created: true };
  // Another run took the month's snapshot meanwhile: that one stands.
  return { snapshot: (await findKpiSnapshot(db, portalId, month)) ?? snapshot, created: false };
}

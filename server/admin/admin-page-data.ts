import type { Queryable } from '../db/pool.ts';
import { listApiKeys, type ApiKeySummary } from '../db/repositories/api-keys.ts';
import { listDefinitionsChangeLog } from '../db/repositories/definitions.ts';
import { listFindings, openFindingFacets, type IssueLogEntry } from '../db/repositories/findings.ts';
import { listOwners } from '../db/repositories/mirror-owners.ts';
import { listPortalAdmins, type PortalAdmin } from '../db/repositories/portal-admins.ts';
import { findPortal, type Portal } from '../db/repositories/portals.ts';
import { lastReportingRefresh, type ReportingRefresh } from '../db/repositories/reporting.ts';
import { listDigests } from '../db/repositories/digests.ts';
import { decisionKpis, type DecisionKpis } from '../decisions/decision-kpis.ts';
import { listDecisions } from '../decisions/list-decisions.ts';
import { currentDefinitions } from '../definitions/current-definitions.ts';
import { WeeklyDigest, type Decision, type Kpis } from '../domain/metrics/index.ts';
import type { StageVelocity } from '../domain/metrics/velocity.ts';
import {
  describeChanges,
  exportDefinitions,
  type Definitions,
  type DefinitionsChange,
} from '../domain/policy/index.ts';
import { readSyncStatus, type SyncStatus } from '../observability/sync-status.ts';
import { ReportParamError, resolveModel } from '../reporting/report-catalog.ts';
import { cacPaybackReport, type CacPaybackReport } from '../reporting/reports/cac-payback.ts';
import { deliveryByChannelReport, type DeliveryRow } from '../reporting/reports/delivery-by-channel.ts';
import { funnelReport, type FunnelReport } from '../reporting/reports/funnel.ts';
import { kpisReport } from '../reporting/reports/kpis.ts';
import { spendEfficiencyReport } from '../reporting/reports/spend-efficiency.ts';
import { velocityReport } from '../reporting/reports/velocity.ts';
import { winRateReport } from '../reporting/reports/win-rate.ts';
import { filtersOf, type PageQuery } from './page-query.ts';

/** The issue log shows this many findings; the rest are counted and reachable by narrowing the filters. */
export const ISSUE_LOG_LIMIT = 500;
/** Without a date filter, Action Rate and Decision SLA cover this many days up to now. */
export const DECISION_KPI_DAYS = 90;
const DAY_MS = 86_400_000;

export type AdminPageData = {
  portal: Portal;
  query: PageQuery;
  now: Date;
  definitions: { version: number; document: Definitions; yaml: string };
  changeLog: { version: number; author: string; reason: string; createdAt: Date; summary: string[] }[];
  refresh: ReportingRefresh | undefined;
  reports: {
    funnel: FunnelReport;
    velocity: { stages: StageVelocity[] };
    cac: CacPaybackReport;
    winRate: Awaited<ReturnType<typeof winRateReport>>;
    spend: Awaited<ReturnType<typeof spendEfficiencyReport>> | { error: string };
    delivery: DeliveryRow[];
    kpis: Kpis;
  };
  owners: { id: string; email: string | null; name: string | null; archived: boolean }[];
  issues: {
    entries: IssueLogEntry[];
    facets: Awaited<ReturnType<typeof openFindingFacets>>;
  };
  decisions: {
    log: Decision[];
    kpis: DecisionKpis;
    period: { from: Date; to: Date };
    latestDigest: WeeklyDigest | undefined;
  };
  sync: SyncStatus | undefined;
  apiKeys: ApiKeySummary[];
  admins: PortalAdmin[];
};

/** Everything the admin page shows for one portal, read once per page load. */
export async function loadAdminPage(
  db: Queryable,
  portalId: number,
  query: PageQuery,
  now: Date,
): Promise<AdminPageData | undefined> {
  const portal = await findPortal(db, portalId);
  if (!portal) return undefined;
  const current = await currentDefinitions(db, portalId);
  const definitions = current.definitions;
  const filters = filtersOf(query);
  let spend: AdminPageData['reports']['spend'];
  try {
    spend = await spendEfficiencyReport(db, portalId, resolveModel(definitions, query.model), filters);
  } catch (error) {
    // A model the definitions don't have (an old bookmark): the page says so instead of failing.
    if (!(error instanceof ReportParamError)) throw error;
    spend = { error: error.message };
  }
  const changeLog = await listDefinitionsChangeLog(db, portalId);
  return {
    portal,
    query,
    now,
    definitions: {
      version: current.version,
      document: definitions,
      yaml: exportDefinitions(current.definitions, 'yaml'),
    },
    changeLog: changeLog.map((entry) => ({
      version: entry.version,
      author: entry.author,
      reason: entry.reason,
      createdAt: entry.createdAt,
      summary: Array.isArray(entry.diff) ? describeChanges(entry.diff as DefinitionsChange[]) : [],
    })),
    refresh: await lastReportingRefresh(db, portalId),
    reports: {
      funnel: await funnelReport(db, portalId, definitions, query.funnel, filters),
      velocity: await velocityReport(db, portalId, definitions, query.funnel, filters),
      cac: await cacPaybackReport(db, portalId, filters),
      winRate: await winRateReport(db, portalId, filters),
      spend,
      delivery: await deliveryByChannelReport(db, portalId, filters),
      kpis: await kpisReport(db, portalId, definitions, now),
    },
    owners: await listOwners(db, portalId),
    issues: {
      entries: await listFindings(db, portalId, {
        open: true,
        ...(query.issueOwner === undefined
          ? {}
          : { ownerEmail: query.issueOwner === 'unowned' ? null : query.issueOwner }),
        ...(query.issueCode === undefined ? {} : { code: query.issueCode }),
        limit: ISSUE_LOG_LIMIT + 1,
      }),
      facets: await openFindingFacets(db, portalId),
    },
    decisions: await decisionsOf(db, portalId, query, now),
    sync: await readSyncStatus(db, portalId, { now }),
    apiKeys: await listApiKeys(db, portalId),
    admins: await listPortalAdmins(db, portalId),
  };
}

/** The decision log with its KPIs over the dashboard's dates (or the last 90 days) and the latest digest. */
async function decisionsOf(
  db: Queryable,
  portalId: number,
  query: PageQuery,
  now: Date,
): Promise<AdminPageData['decisions']> {
  // The filters' days are inclusive; the KPIs take [from, to).
  const to = query.to ? new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS) : now;
  const from = query.from ? new Date(`${query.from}T00:00:00Z`) : new Date(to.getTime() - DECISION_KPI_DAYS * DAY_MS);
  const [digest] = await listDigests(db, portalId, { limit: 1 });
  const parsed = digest ? WeeklyDigest.safeParse(digest.body) : undefined;
  return {
    log: await listDecisions(db, portalId, {}),
    kpis: await decisionKpis(db, portalId, from, to, now),
    period: { from, to },
    latestDigest: parsed?.success ? parsed.data : undefined,
  };
}

import { timingSafeEqual } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { Router, type Request, type Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { findPortal } from '../../db/repositories/portals.ts';
import { lastReportingRefresh, type ReportingRefresh } from '../../db/repositories/reporting.ts';
import { currentDefinitions } from '../../definitions/current-definitions.ts';
import type { Drill } from '../../reporting/drill.ts';
import { findReport, REPORTS, ReportParamError, type Cell, type Report } from '../../reporting/report-catalog.ts';
import { parseReportQuery } from '../../reporting/report-query.ts';
import { adminCookies, adminSecurityHeaders, sessionOf } from '../admin-auth.ts';

export type ReportRouteDeps = {
  db: pg.Pool;
  publicBaseUrl: string;
  /** OPERATOR_API_TOKEN: machines read any portal's reports with it; unset, only admin sessions can. */
  operatorToken: string | undefined;
  now?: () => Date;
};

const Params = z.object({ portalId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/**
 * The reports as JSON or CSV: `GET /api/portals/:portalId/reports` lists them,
 * `GET /api/portals/:portalId/reports/:report?<filters>&<params>&format=json|csv&table=NAME` runs one,
 * `GET /api/portals/:portalId/reports/:report/records?<filters>&<params>&<cell>&limit&offset&format=`
 * answers the records behind one of its figures, each with its HubSpot link (server/admin/README.md has
 * the shapes). Every answer says when the reporting model was last refreshed (`refreshedAt` in JSON,
 * the `X-Report-Refreshed-At` header on CSV too). Read with the admin session of that portal (another
 * portal's session gets 404) or `Authorization: Bearer OPERATOR_API_TOKEN`. Bad query → 400 naming
 * each parameter; unknown parameters are refused, so a misspelt filter never silently reads everything.
 */
export function reportRoutes(deps: ReportRouteDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const cookies = adminCookies(deps.publicBaseUrl);
  const operator = deps.operatorToken ? Buffer.from(`Bearer ${deps.operatorToken}`) : undefined;

  router.use('/api/portals', adminSecurityHeaders);

  /** The portal of the path if the caller may read it; otherwise the answer is sent. */
  const authorize = async (req: Request, res: Response): Promise<number | undefined> => {
    const params = Params.safeParse(req.params);
    if (!params.success) {
      res
        .status(400)
        .json({ ok: false, error: { message: `portalId: ${params.error.issues[0]!.message}`, field: 'portalId' } });
      return undefined;
    }
    const portalId = params.data.portalId;
    const authorization = req.get('authorization');
    if (authorization !== undefined) {
      const given = Buffer.from(authorization);
      if (!operator || given.length !== operator.length || !timingSafeEqual(given, operator)) {
        res.status(401).json({ ok: false, error: { message: 'the bearer token is not the operator token' } });
        return undefined;
      }
    } else {
      const session = await sessionOf(req, deps.db, cookies, now());
      if (!session) {
        res
          .status(401)
          .json({ ok: false, error: { message: 'sign in to the admin page, or send the operator token' } });
        return undefined;
      }
      if (session.portalId !== portalId) {
        res.status(404).json({ ok: false, error: { message: `portal ${portalId} is not known` } });
        return undefined;
      }
    }
    const portal = await findPortal(deps.db, portalId);
    if (!portal || portal.status === 'uninstalled') {
      res.status(404).json({ ok: false, error: { message: `portal ${portalId} is not known` } });
      return undefined;
    }
    return portalId;
  };

  router.get('/api/portals/:portalId/reports', async (req, res) => {
    const portalId = await authorize(req, res);
    if (portalId === undefined) return;
    res.json({
      ok: true,
      data: REPORTS.map((r) => ({
        report: r.name,
        title: r.title,
        metric: r.metric,
        filtered: r.filtered,
        params: Object.keys(r.params.shape),
        cell: Object.keys(r.cell.shape),
        url: `/api/portals/${portalId}/reports/${r.name}`,
        recordsUrl: `/api/portals/${portalId}/reports/${r.name}/records`,
      })),
    });
  });

  /** The report of the path, or a 404 already sent. */
  const reportOf = (req: Request, res: Response): Report | undefined => {
    const name = typeof req.params.report === 'string' ? req.params.report : '';
    const report = findReport(name);
    if (!report)
      res.status(404).json({
        ok: false,
        error: { message: `no report "${name}"; reports: ${REPORTS.map((r) => r.name).join(', ')}` },
      });
    return report;
  };

  router.get('/api/portals/:portalId/reports/:report', async (req, res) => {
    const portalId = await authorize(req, res);
    if (portalId === undefined) return;
    const report = reportOf(req, res);
    if (!report) return;
    const query = parseReportQuery(report, req.query, 'report');
    if (!query.ok) {
      res.status(400).json({ ok: false, error: { message: query.message } });
      return;
    }
    const { format, table, filters, params } = query.value;
    if (!refuseFiltersOfPortalWide(res, report, filters)) return;
    const definitions = await currentDefinitions(deps.db, portalId);
    let result: unknown;
    try {
      result = await report.run(
        { db: deps.db, portalId, definitions: definitions.definitions, now: now() },
        filters,
        params,
      );
    } catch (error) {
      if (!sendParamError(res, error)) throw error;
      return;
    }
    const tables = report.tables(result);
    if (table !== undefined && !tables.some((t) => t.name === table)) {
      res.status(400).json({
        ok: false,
        error: {
          message: `table: "${table}" is not a table of ${report.name}; one of ${tables.map((t) => t.name).join(', ')}`,
          field: 'table',
        },
      });
      return;
    }
    const refresh = await lastReportingRefresh(deps.db, portalId);
    freshnessHeader(res, refresh);
    if (format === 'csv') {
      const chosen = tables.find((t) => t.name === table) ?? tables[0]!;
      sendCsv(res, `${report.name}-${chosen.name}-portal-${portalId}.csv`, chosen.columns, chosen.rows);
      return;
    }
    res.json({
      ok: true,
      data: {
        report: report.name,
        title: report.title,
        metric: report.metric,
        portalId,
        filtered: report.filtered,
        filters,
        params,
        refreshedAt: refresh?.refreshedAt.toISOString() ?? null,
        reportingDefinitionsVersion: refresh?.definitionsVersion ?? null,
        tables: tables.map((t) => t.name),
        result,
      },
    });
  });

  router.get('/api/portals/:portalId/reports/:report/records', async (req, res) => {
    const portalId = await authorize(req, res);
    if (portalId === undefined) return;
    const report = reportOf(req, res);
    if (!report) return;
    const query = parseReportQuery(report, req.query, 'records');
    if (!query.ok) {
      res.status(400).json({ ok: false, error: { message: query.message } });
      return;
    }
    const { format, filters, params, cell, limit, offset } = query.value;
    if (!refuseFiltersOfPortalWide(res, report, filters)) return;
    const definitions = await currentDefinitions(deps.db, portalId);
    let drill: Drill;
    try {
      drill = await report.records(
        { db: deps.db, portalId, definitions: definitions.definitions, now: now() },
        filters,
        params,
        cell,
      );
    } catch (error) {
      if (!sendParamError(res, error)) throw error;
      return;
    }
    const refresh = await lastReportingRefresh(deps.db, portalId);
    freshnessHeader(res, refresh);
    if (format === 'csv') {
      // The whole list: a spreadsheet is where a long list of records is worked through.
      sendCsv(
        res,
        `${report.name}-records-portal-${portalId}.csv`,
        ['object_type', 'id', 'hubspot_url', ...drill.columns],
        drill.records.map((r): Cell[] => [r.objectType, r.id, r.url, ...drill.columns.map((c) => r.values[c] ?? null)]),
      );
      return;
    }
    res.json({
      ok: true,
      data: {
        report: report.name,
        metric: report.metric,
        portalId,
        filters,
        params,
        cell,
        figure: drill.figure,
        refreshedAt: refresh?.refreshedAt.toISOString() ?? null,
        reportingDefinitionsVersion: refresh?.definitionsVersion ?? null,
        total: drill.records.length,
        ...(drill.sum ? { sum: drill.sum } : {}),
        offset,
        limit,
        columns: drill.columns,
        records: drill.records.slice(offset, offset + limit),
      },
    });
  });

  return router;
}

/** A portal-wide report takes no filters: a 400 naming them; true when there were none. */
function refuseFiltersOfPortalWide(res: Response, report: Report, filters: Record<string, unknown>): boolean {
  if (report.filtered || Object.keys(filters).length === 0) return true;
  res.status(400).json({
    ok: false,
    error: { message: `${report.name} is portal-wide and takes no filters; remove ${Object.keys(filters).join(', ')}` },
  });
  return false;
}

function sendParamError(res: Response, error: unknown): boolean {
  if (!(error instanceof ReportParamError)) return false;
  res.status(400).json({ ok: false, error: { message: `${error.param}: ${error.message}`, field: error.param } });
  return true;
}

/** When the data behind the answer was last refreshed, on every answer (CSV has no other place for it). */
function freshnessHeader(res: Response, refresh: ReportingRefresh | undefined): void {
  res.set('X-Report-Refreshed-At', refresh?.refreshedAt.toISOString() ?? 'never');
}

function sendCsv(res: Response, filename: string, columns: string[], rows: Cell[][]): void {
  res
    .type('text/csv; charset=utf-8')
    .attachment(filename)
    .send(stringify([columns, ...rows.map((row) => row.map(csvCell))]));
}

/**
 * A spreadsheet runs a cell starting with = + - @ (or a tab/return) as a formula; channel names and
 * reasons are typed by people, so such text gets a leading apostrophe (OWASP's CSV-injection advice).
 * Numbers are left alone.
 */
function csvCell(cell: Cell): Cell {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

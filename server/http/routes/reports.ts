import { timingSafeEqual } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { Router, type Request, type Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { findPortal } from '../../db/repositories/portals.ts';
import { lastReportingRefresh } from '../../db/repositories/reporting.ts';
import { currentDefinitions } from '../../definitions/current-definitions.ts';
import { ReportFilters } from '../../reporting/filters.ts';
import { findReport, REPORTS, ReportParamError, type Cell } from '../../reporting/report-catalog.ts';
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
 * `GET /api/portals/:portalId/reports/:report?<filters>&<params>&format=json|csv&table=NAME` runs one
 * (server/admin/README.md has the shapes). Read with the admin session of that portal (another
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
        url: `/api/portals/${portalId}/reports/${r.name}`,
      })),
    });
  });

  router.get('/api/portals/:portalId/reports/:report', async (req, res) => {
    const portalId = await authorize(req, res);
    if (portalId === undefined) return;
    const report = findReport(req.params.report ?? '');
    if (!report) {
      res.status(404).json({
        ok: false,
        error: { message: `no report "${req.params.report}"; reports: ${REPORTS.map((r) => r.name).join(', ')}` },
      });
      return;
    }
    const Query = z.strictObject({
      ...ReportFilters.shape,
      ...report.params.shape,
      format: z.enum(['json', 'csv']).default('json'),
      table: z.string().min(1).max(50).optional(),
    });
    const query = Query.safeParse(req.query);
    if (!query.success) {
      res.status(400).json({ ok: false, error: { message: describeIssues(query.error.issues) } });
      return;
    }
    const { format, table, from, to, channel, icpTier, productLine, ownerId, ...params } = query.data;
    const filters = ReportFilters.parse(
      Object.fromEntries(
        Object.entries({ from, to, channel, icpTier, productLine, ownerId }).filter(([, v]) => v !== undefined),
      ),
    );
    if (!report.filtered && Object.keys(filters).length > 0) {
      res.status(400).json({
        ok: false,
        error: {
          message: `${report.name} is portal-wide and takes no filters; remove ${Object.keys(filters).join(', ')}`,
        },
      });
      return;
    }
    const definitions = await currentDefinitions(deps.db, portalId);
    let result: unknown;
    try {
      result = await report.run(
        { db: deps.db, portalId, definitions: definitions.definitions, now: now() },
        filters,
        params,
      );
    } catch (error) {
      if (!(error instanceof ReportParamError)) throw error;
      res.status(400).json({ ok: false, error: { message: `${error.param}: ${error.message}`, field: error.param } });
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
    if (format === 'csv') {
      const chosen = tables.find((t) => t.name === table) ?? tables[0]!;
      res
        .type('text/csv; charset=utf-8')
        .attachment(`${report.name}-${chosen.name}-portal-${portalId}.csv`)
        .send(stringify([chosen.columns, ...chosen.rows.map((row) => row.map(csvCell))]));
      return;
    }
    const refresh = await lastReportingRefresh(deps.db, portalId);
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

  return router;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) =>
      i.code === 'unrecognized_keys'
        ? `unknown query parameter${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`
        : `${i.path.join('.') || 'query'}: ${i.message}`,
    )
    .join('; ');
}

/**
 * A spreadsheet runs a cell starting with = + - @ (or a tab/return) as a formula; channel names and
 * reasons are typed by people, so such text gets a leading apostrophe (OWASP's CSV-injection advice).
 * Numbers are left alone.
 */
function csvCell(cell: Cell): Cell {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

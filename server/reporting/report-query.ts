import { z } from 'zod';
import { ReportFilters } from './filters.ts';
import type { Report } from './report-catalog.ts';

/**
 * The query string of a report (`GET …/reports/:report`) or of its drill-down (`…/:report/records`):
 * the filters, the report's own parameters, for a drill-down the parameters naming the figure (`cell`)
 * and paging, and the answer's format. Strict: an unknown or misspelt parameter is refused rather
 * than silently ignored, so a typo never reads everything.
 */
export const DRILL_PAGE_MAX = 5_000;

const Format = z.enum(['json', 'csv']).default('json');

export type ParsedReportQuery = {
  filters: ReportFilters;
  params: Record<string, unknown>;
  cell: Record<string, unknown>;
  format: 'json' | 'csv';
  table: string | undefined;
  limit: number;
  offset: number;
};

export function parseReportQuery(
  report: Report,
  query: unknown,
  kind: 'report' | 'records',
): { ok: true; value: ParsedReportQuery } | { ok: false; message: string } {
  const schema = z.strictObject({
    ...ReportFilters.shape,
    ...report.params.shape,
    ...(kind === 'records'
      ? {
          ...report.cell.shape,
          limit: z.coerce.number().int().min(1).max(DRILL_PAGE_MAX).default(500),
          offset: z.coerce.number().int().min(0).default(0),
        }
      : { table: z.string().min(1).max(50).optional() }),
    format: Format,
  });
  const parsed = schema.safeParse(query);
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error.issues) };
  const data = parsed.data as Record<string, unknown>;
  const pick = (keys: readonly string[]) =>
    Object.fromEntries(keys.filter((k) => data[k] !== undefined).map((k) => [k, data[k]]));
  return {
    ok: true,
    value: {
      filters: ReportFilters.parse(pick(Object.keys(ReportFilters.shape))),
      params: pick(Object.keys(report.params.shape)),
      cell: kind === 'records' ? pick(Object.keys(report.cell.shape)) : {},
      format: data.format as 'json' | 'csv',
      table: data.table as string | undefined,
      limit: (data.limit as number | undefined) ?? DRILL_PAGE_MAX,
      offset: (data.offset as number | undefined) ?? 0,
    },
  };
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) =>
      i.code === 'unrecognized_keys'
        ? `unknown query parameter${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`
        : `${i.path.join('.') || 'query'}: ${i.message}`,
    )
    .join('; ');
}

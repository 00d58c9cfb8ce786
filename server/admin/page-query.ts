import { z } from 'zod';
import { ReportFilters } from '../reporting/filters.ts';

/**
 * The admin page's query string: the report filters, the dashboards' choices (attribution model,
 * funnel lifecycle), the issue log's filters, and the notice after a save. A GET form sends empty
 * fields for blank inputs; those mean "not set".
 */
const blank = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);
const filter = ReportFilters.shape;

export const PageQuery = z.strictObject({
  from: blank(filter.from),
  to: blank(filter.to),
  channel: blank(filter.channel),
  icpTier: blank(filter.icpTier),
  productLine: blank(filter.productLine),
  ownerId: blank(filter.ownerId),
  model: blank(z.string().min(1).max(100).optional()),
  funnel: blank(z.enum(['contacts', 'deals', 'tickets']).default('deals')),
  /** An owner's email, or `unowned` for findings of records without one. */
  issueOwner: blank(z.string().min(1).max(320).optional()),
  issueCode: blank(z.string().min(1).max(200).optional()),
  saved: blank(z.coerce.number().int().positive().optional()),
});
export type PageQuery = z.output<typeof PageQuery>;

export function parsePageQuery(query: unknown): { ok: true; query: PageQuery } | { ok: false; problems: string[] } {
  const parsed = PageQuery.safeParse(query);
  return parsed.success
    ? { ok: true, query: parsed.data }
    : { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`) };
}

export function filtersOf(query: PageQuery): ReportFilters {
  const { from, to, channel, icpTier, productLine, ownerId } = query;
  return Object.fromEntries(
    Object.entries({ from, to, channel, icpTier, productLine, ownerId }).filter(([, v]) => v !== undefined),
  );
}

import type { AdminPageData } from '../admin-page-data.ts';
import { filtersOf } from '../page-query.ts';
import { html, type Html } from './html.ts';

/**
 * Links from a figure on the dashboards to the page of its records (`/admin/portals/:id/records/:report`,
 * server/admin/page/records-page.ts): the dashboards' filters, the report's parameters and the
 * parameters naming the figure, in the query string the reports API reads for the same records.
 */
export type DrillCell = Record<string, string | undefined>;

export function drillHref(
  data: AdminPageData,
  report: string,
  cell: DrillCell,
  options: { params?: Record<string, string>; filtered?: boolean } = {},
): string {
  const query = new URLSearchParams({
    ...(options.filtered === false ? {} : (filtersOf(data.query) as Record<string, string>)),
    ...(options.params ?? {}),
  });
  for (const [key, value] of Object.entries(cell)) if (value !== undefined) query.set(key, value);
  return `/admin/portals/${data.portal.portalId}/records/${report}?${query.toString()}`;
}

/** A figure as a link to its records. */
export function drillLink(
  data: AdminPageData,
  report: string,
  cell: DrillCell,
  text: string,
  options: { params?: Record<string, string>; filtered?: boolean } = {},
): Html {
  return html`<a class="drill" href="${drillHref(data, report, cell, options)}">${text}</a>`;
}

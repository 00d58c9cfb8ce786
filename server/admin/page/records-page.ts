import type { Portal } from '../../db/repositories/portals.ts';
import type { ReportingRefresh } from '../../db/repositories/reporting.ts';
import type { Drill } from '../../reporting/drill.ts';
import type { ParsedReportQuery } from '../../reporting/report-query.ts';
import { formatTime } from './dashboards.ts';
import { html, type Html } from './html.ts';
import { adminLayout } from './layout.ts';

/**
 * The records behind one figure of the dashboards: what they are, how many (the figure itself), when
 * the data was refreshed, a page of them with their links into HubSpot, the whole list as CSV, and the
 * way back to the dashboards with the same filters.
 */
export function recordsPage(options: {
  portal: Portal;
  report: { name: string; title: string };
  query: ParsedReportQuery;
  /** The query string as asked, for the CSV link and the paging links. */
  search: URLSearchParams;
  drill: Drill;
  refresh: ReportingRefresh | undefined;
  csrfToken: string;
}): Html {
  const { portal, report, query, drill, refresh } = options;
  const shown = drill.records.slice(query.offset, query.offset + query.limit);
  const pageLink = (offset: number, label: string) => {
    const q = new URLSearchParams(options.search);
    q.set('offset', String(offset));
    return html`<a href="?${q.toString()}">${label}</a>`;
  };
  const csv = new URLSearchParams(options.search);
  csv.delete('offset');
  csv.delete('limit');
  csv.set('format', 'csv');
  const back = new URLSearchParams(query.filters as Record<string, string>);
  if (typeof query.params.model === 'string') back.set('model', query.params.model);
  if (typeof query.params.object === 'string') back.set('funnel', query.params.object);
  return adminLayout({
    title: `${report.title}: records`,
    csrfToken: options.csrfToken,
    header: html`<header>
      <div class="brand">Closed Loop · portal ${String(portal.portalId)}</div>
      <nav>
        <a id="back" href="/admin/portals/${String(portal.portalId)}?${back.toString()}#dashboards">← Dashboards</a>
      </nav>
    </header>`,
    body: html`<section id="records">
      <h2>${report.title}</h2>
      <p class="figure" id="drill-figure">${drill.figure}</p>
      <p>
        <strong id="drill-total">${String(drill.records.length)}</strong>
        ${drill.records.length === 1 ? 'record' : 'records'}${
          drill.sum
            ? html`, ${drill.sum.column} adding up to <strong id="drill-sum">${String(drill.sum.value)}</strong>`
            : ''
        }.
        ${
          Object.keys(query.filters).length > 0
            ? html`Filters:
              ${Object.entries(query.filters)
                .map(([k, v]) => `${k} ${String(v)}`)
                .join(', ')}.`
            : ''
        }
      </p>
      <p class="refreshed" id="last-refreshed">
        ${
          refresh
            ? html`Data as of the last refresh,
                <time datetime="${refresh.refreshedAt.toISOString()}">${formatTime(refresh.refreshedAt)}</time>.`
            : 'The reporting model has not been refreshed yet.'
        }
      </p>
      <table id="drill-records">
        <thead>
          <tr>
            <th>Record</th>
            ${drill.columns.map((c) => html`<th>${c.replace(/_/g, ' ')}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${shown.map(
            (r) =>
              html`<tr data-record="${r.objectType} ${String(r.id)}">
                <td><a href="${r.url}" target="_blank" rel="noopener">${r.objectType} ${String(r.id)}</a></td>
                ${drill.columns.map((c) => html`<td>${cellText(r.values[c])}</td>`)}
              </tr>`,
          )}
        </tbody>
      </table>
      <p class="paging">
        ${
          drill.records.length > shown.length
            ? html`Showing ${String(query.offset + 1)}–${String(query.offset + shown.length)} of
              ${String(drill.records.length)}.
              ${query.offset > 0 ? pageLink(Math.max(0, query.offset - query.limit), '← Previous') : ''}
              ${query.offset + shown.length < drill.records.length ? pageLink(query.offset + query.limit, 'Next →') : ''}`
            : ''
        }
      </p>
      <p class="csv">
        <a href="/api/portals/${String(portal.portalId)}/reports/${report.name}/records?${csv.toString()}" download
          >All ${String(drill.records.length)} as CSV</a
        >
      </p>
    </section>`,
  });
}

function cellText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

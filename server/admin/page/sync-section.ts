import type { SyncRunView } from '../../observability/sync-status.ts';
import type { AdminPageData } from '../admin-page-data.ts';
import { formatTime } from './dashboards.ts';
import { html, type Html } from './html.ts';

/** Sync status and history, from the same reading as the operator endpoint (observability/sync-status.ts). */
export function syncSection(data: AdminPageData): Html {
  const status = data.sync;
  if (!status)
    return html`<section id="sync">
      <h2>Sync</h2>
      <p>No sync has run yet.</p>
    </section>`;
  const last = (kind: 'full' | 'incremental' | 'webhook', label: string) => {
    const run = status.lastSucceeded[kind];
    return html`<li>
      ${label}: ${run ? html`${formatTime(run.finishedAt ?? run.startedAt)} (${String(run.records)} records)` : 'never'}
    </li>`;
  };
  return html`<section id="sync">
    <h2>Sync</h2>
    <p>Portal status: <strong>${status.portalStatus}</strong>.</p>
    ${status.running.map(
      (r) =>
        html`<p class="running">
          Running: ${r.run.kind} sync #${String(r.run.id)}, ${String(r.run.records)} records so
          far${
            r.streams ? `, ${r.streams.done} of ${r.streams.total} streams done` : ''
          }${r.lastProgressAt ? html`, last progress ${formatTime(r.lastProgressAt)}` : ''}.
          ${r.streams ? html`<progress max="${String(r.streams.total)}" value="${String(r.streams.done)}"></progress>` : ''}
        </p>`,
    )}
    <ul class="last-sync">
      ${last('full', 'Last full sync')}${last('incremental', 'Last incremental sync')}${last('webhook', 'Last webhook batch')}
    </ul>
    <table id="sync-history">
      <thead>
        <tr>
          <th>#</th>
          <th>Kind</th>
          <th>Status</th>
          <th>Started</th>
          <th>Duration</th>
          <th>Records</th>
          <th>API calls</th>
          <th>Rate-limited</th>
          <th>Errors</th>
        </tr>
      </thead>
      <tbody>
        ${status.history.map(runRow)}
      </tbody>
    </table>
  </section>`;
}

function runRow(run: SyncRunView): Html {
  return html`<tr class="status-${run.status}">
    <td>${String(run.id)}</td>
    <td>${run.kind}</td>
    <td>${run.status}${run.errorMessage ? html`<br /><small>${run.errorMessage}</small>` : ''}</td>
    <td>${formatTime(run.startedAt)}</td>
    <td>${run.durationMs === null ? '–' : `${(run.durationMs / 1000).toFixed(1)} s`}</td>
    <td>${String(run.records)}</td>
    <td>${String(run.apiCalls)}</td>
    <td>${String(run.rateLimited)}</td>
    <td>${String(run.errors)}</td>
  </tr>`;
}

import type { AdminPageData } from '../admin-page-data.ts';
import { formatTime } from './dashboards.ts';
import { html, percent, type Html } from './html.ts';

/**
 * The decision log (server/decisions): Action Rate and Decision SLA over the dashboard's dates, the
 * latest weekly digest with the items it raised, the actions with their status and outcome, and a form
 * to log a new one. Closing an action needs its outcome.
 */
export function decisionsSection(data: AdminPageData): Html {
  const { log, kpis, period, latestDigest } = data.decisions;
  const day = (at: Date) => at.toISOString().slice(0, 10);
  return html`<section id="decisions">
    <h2>Decision log</h2>
    <p id="decision-kpis">
      ${day(period.from)} to ${day(new Date(period.to.getTime() - 1))}: Action Rate
      <strong>${percent(kpis.actionRate.rate)}</strong> (${String(kpis.actionRate.actioned)} of
      ${String(kpis.actionRate.items)} digest items got an action); Decision SLA
      <strong>${percent(kpis.decisionSla.rate)}</strong> (${String(kpis.decisionSla.metOnTime)} of
      ${String(kpis.decisionSla.due)} actions due were closed on time).
    </p>
    ${
      latestDigest
        ? html`<details id="weekly-digest">
            <summary>
              Weekly digest ${latestDigest.week}: ${String(latestDigest.openFindings)} open findings,
              ${String(latestDigest.changes.opened)} opened and ${String(latestDigest.changes.resolved)} resolved that
              week
            </summary>
            <table>
              <thead>
                <tr>
                  <th>Owner</th>
                  <th>Open</th>
                  <th>Under 7 days</th>
                  <th>7–29</th>
                  <th>30–89</th>
                  <th>90+</th>
                </tr>
              </thead>
              <tbody>
                ${latestDigest.byOwner.map(
                  (o) =>
                    html`<tr>
                      <td>${o.ownerEmail ?? o.ownerId ?? '(no owner)'}</td>
                      <td>${String(o.open)}</td>
                      <td>${String(o.byAge.under_7_days)}</td>
                      <td>${String(o.byAge['7_to_29_days'])}</td>
                      <td>${String(o.byAge['30_to_89_days'])}</td>
                      <td>${String(o.byAge['90_days_or_more'])}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            <p>Items raised: ${latestDigest.items.map((i) => `${i.kind}:${i.key}`).join(', ') || 'none'}</p>
          </details>`
        : html`<p>No weekly digest yet.</p>`
    }
    <table id="decision-log">
      <thead>
        <tr>
          <th>Topic</th>
          <th>About</th>
          <th>Owner</th>
          <th>Due</th>
          <th>Status and outcome</th>
        </tr>
      </thead>
      <tbody>
        ${log.map(
          (d) =>
            html`<tr data-decision="${String(d.id)}">
              <td>${d.topic}<br /><small>logged ${formatTime(d.createdAt)}</small></td>
              <td><code>${d.subject.kind}:${d.subject.key}</code></td>
              <td>${d.owner}</td>
              <td>${d.dueOn}</td>
              <td>
                <form class="decision-update" data-decision="${String(d.id)}">
                  <select name="status">
                    ${(['open', 'done', 'dropped'] as const).map(
                      (s) => html`<option value="${s}" ${s === d.status ? html`selected` : ''}>${s}</option>`,
                    )}
                  </select>
                  <input name="outcome" maxlength="5000" value="${d.outcome ?? ''}" placeholder="What came of it" />
                  <button type="submit">Update</button>
                </form>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    <form id="decision-create" class="filters">
      <label>Topic <input name="topic" required maxlength="200" /></label>
      <label
        >About
        <select name="subjectKind">
          <option value="finding">a finding code</option>
          <option value="metric">a KPI</option>
          <option value="definitions">the definitions</option>
        </select></label
      >
      <label>Key <input name="subjectKey" required maxlength="200" placeholder="missing_field:amount" /></label>
      <label>Owner <input name="owner" required maxlength="320" /></label>
      <label>Due <input name="dueOn" type="date" required /></label>
      <button type="submit">Log action</button>
      <span id="decision-status" class="status" aria-live="polite"></span>
    </form>
  </section>`;
}

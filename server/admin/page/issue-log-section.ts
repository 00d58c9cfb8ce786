import { HUBSPOT_OBJECT_TYPE, type CrmObject } from '../../domain/policy/primitives.ts';
import { hubspotRecordUrl } from '../../reporting/filters.ts';
import { ISSUE_LOG_LIMIT, type AdminPageData } from '../admin-page-data.ts';
import { formatTime } from './dashboards.ts';
import { html, type Html } from './html.ts';

/** The open findings, filterable by owner and code (a whole code or its family), each record linked in HubSpot. */
export function issueLogSection(data: AdminPageData): Html {
  const { issues, query, portal } = data;
  const shown = issues.entries.slice(0, ISSUE_LOG_LIMIT);
  const more = issues.entries.length > ISSUE_LOG_LIMIT;
  return html`<section id="issues">
    <h2>Issue log</h2>
    <form class="filters" method="get" action="#issues" id="issue-filters">
      <label
        >Owner
        <select name="issueOwner">
          <option value="">Everyone</option>
          ${issues.facets.owners.map((o) => {
            const value = o.ownerEmail ?? 'unowned';
            return html`<option value="${value}" ${value === query.issueOwner ? html` selected` : ''}>
              ${o.ownerEmail ?? '(no owner)'} (${String(o.n)})
            </option>`;
          })}
        </select></label
      >
      <label
        >Code
        <input
          name="issueCode"
          list="issue-codes"
          value="${query.issueCode ?? ''}"
          placeholder="missing_field or missing_field:amount"
        />
        <datalist id="issue-codes">
          ${issues.facets.families.map((f) => html`<option value="${f.family}">${f.family} (${String(f.n)})</option>`)}
        </datalist></label
      >
      <button type="submit">Filter</button> <a href="?#issues">Clear</a>
    </form>
    <p>
      ${String(shown.length)}${more ? `+ (the first ${ISSUE_LOG_LIMIT}; narrow the filters to see the rest)` : ''} open
      findings.
    </p>
    <table id="issue-log">
      <thead>
        <tr>
          <th>Record</th>
          <th>Code</th>
          <th>Field</th>
          <th>Severity</th>
          <th>Owner</th>
          <th>Proposed fix</th>
          <th>Open since</th>
        </tr>
      </thead>
      <tbody>
        ${shown.map((f) => {
          const table = HUBSPOT_OBJECT_TYPE[f.objectType as CrmObject] ?? f.objectType;
          return html`<tr data-finding="${f.objectType} ${String(f.objectId)}|${f.code}">
            <td>
              <a href="${hubspotRecordUrl(portal.portalId, table, f.objectId)}" target="_blank" rel="noopener"
                >${f.objectType} ${String(f.objectId)}</a
              >
            </td>
            <td>${f.code}</td>
            <td>${f.field ?? ''}</td>
            <td class="severity-${f.severity}">${f.severity}</td>
            <td>${f.ownerEmail ?? '(no owner)'}</td>
            <td>${f.proposedFix}</td>
            <td>${formatTime(f.firstSeenAt)}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </section>`;
}

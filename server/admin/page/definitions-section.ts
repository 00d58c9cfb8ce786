import type { AdminPageData } from '../admin-page-data.ts';
import { formatTime } from './dashboards.ts';
import { html, type Html } from './html.ts';

/**
 * The definitions editor: the current version as YAML (or JSON) text, checked as it is typed (errors as
 * path and message), the diff against the current version shown before saving, a reason required to
 * save; and the change log of every version.
 */
export function definitionsSection(data: AdminPageData): Html {
  const { definitions, changeLog, query, portal } = data;
  return html`<section id="definitions">
    <h2>Definitions</h2>
    ${
      query.saved
        ? html`<p class="notice" id="saved-notice">
            Saved definitions version ${String(query.saved)}. A re-evaluation and re-attribution of every record under
            it is queued.
          </p>`
        : ''
    }
    <form
      id="definitions-editor"
      data-portal="${String(portal.portalId)}"
      data-version="${String(definitions.version)}"
    >
      <p>
        Current version: <strong id="current-version">${String(definitions.version)}</strong>. Edit, check the changes,
        give a reason, save: a new version is stored and every record is re-evaluated.
      </p>
      <label
        >Format
        <select name="format" id="definitions-format">
          <option value="yaml" selected>YAML</option>
          <option value="json">JSON</option>
        </select></label
      >
      <textarea id="definitions-text" name="text" rows="24" spellcheck="false" autocomplete="off">
${definitions.yaml}</textarea>
      <div id="definitions-errors" class="errors" role="alert" aria-live="polite"></div>
      <div id="definitions-diff" class="diff" aria-live="polite"></div>
      <label
        >Reason
        <input
          type="text"
          name="reason"
          id="definitions-reason"
          maxlength="500"
          required
          placeholder="Why this change (kept in the change log)"
      /></label>
      <button type="button" id="definitions-preview">Show changes</button>
      <button type="submit" id="definitions-save" disabled>Save new version</button>
      <span id="definitions-status" class="status" aria-live="polite"></span>
    </form>
    <h3>Change log</h3>
    <table id="change-log">
      <thead>
        <tr>
          <th>Version</th>
          <th>When</th>
          <th>Who</th>
          <th>Why</th>
          <th>What changed</th>
        </tr>
      </thead>
      <tbody>
        ${changeLog.map(
          (entry) =>
            html`<tr data-version="${String(entry.version)}">
              <td>${String(entry.version)}</td>
              <td>${formatTime(entry.createdAt)}</td>
              <td>${entry.author}</td>
              <td>${entry.reason}</td>
              <td>
                ${
                  entry.summary.length > 0
                    ? html`<ul>
                        ${entry.summary.map((line) => html`<li>${line}</li>`)}
                      </ul>`
                    : '–'
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

import type { AdminPageData } from '../admin-page-data.ts';
import { formatTime } from './dashboards.ts';
import { html, type Html } from './html.ts';

/** Ingest API keys: create (the key is shown once, by the script, never stored), list, revoke. */
export function apiKeysSection(data: AdminPageData): Html {
  return html`<section id="api-keys">
    <h2>API keys for ingest</h2>
    <p>
      Keys let your systems send offline touches and ad spend to <code>/ingest/v1/…</code>. A new key is shown once.
    </p>
    <form id="api-key-create">
      <label>Label <input name="label" required maxlength="100" placeholder="e.g. events platform" /></label>
      <button type="submit">Create key</button>
    </form>
    <div id="api-key-created" class="secret" hidden>
      <p>Copy this key now; it will not be shown again:</p>
      <output id="api-key-value"></output>
    </div>
    <table id="api-keys-list">
      <thead>
        <tr>
          <th>Id</th>
          <th>Label</th>
          <th>Created</th>
          <th>Last used</th>
          <th>Status</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${data.apiKeys.map(
          (k) =>
            html`<tr data-key="${k.id}">
              <td><code>${k.id}</code></td>
              <td>${k.label}</td>
              <td>${formatTime(k.createdAt)} by ${k.createdBy}</td>
              <td>${k.lastUsedAt ? formatTime(k.lastUsedAt) : 'never'}</td>
              <td class="key-status">${k.revokedAt ? `revoked ${formatTime(k.revokedAt)}` : 'active'}</td>
              <td>
                ${k.revokedAt ? '' : html`<button type="button" class="revoke" data-key="${k.id}">Revoke</button>`}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

import type { AdminPageData } from '../admin-page-data.ts';
import { formatTime } from './dashboards.ts';
import { html, type Html } from './html.ts';

/** Who may open this page: the user who installed the app, and the admins added here. */
export function adminsSection(data: AdminPageData): Html {
  const { portal, admins } = data;
  return html`<section id="admins">
    <h2>Admins</h2>
    <p>
      The user who installed Closed
      Loop${portal.installedByEmail ? html` (<strong>${portal.installedByEmail}</strong>)` : ''} can always open this
      page. Add other HubSpot users by their user id (HubSpot: Settings → Users &amp; Teams).
    </p>
    <table id="admins-list">
      <thead>
        <tr>
          <th>User id</th>
          <th>Email</th>
          <th>Added</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${admins.map(
          (a) =>
            html`<tr>
              <td>${String(a.userId)}</td>
              <td>${a.email ?? ''}</td>
              <td>${formatTime(a.addedAt)} by ${a.addedBy}</td>
              <td><button type="button" class="remove-admin" data-user="${String(a.userId)}">Remove</button></td>
            </tr>`,
        )}
      </tbody>
    </table>
    <form id="admin-add">
      <label>HubSpot user id <input name="userId" required inputmode="numeric" pattern="[0-9]+" /></label>
      <label>Email <input name="email" type="email" maxlength="320" /></label><button type="submit">Add admin</button>
    </form>
  </section>`;
}

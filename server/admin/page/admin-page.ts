import type { AdminPageData } from '../admin-page-data.ts';
import { adminsSection } from './admins-section.ts';
import { apiKeysSection } from './api-keys-section.ts';
import { dashboardsSection } from './dashboards.ts';
import { decisionsSection } from './decisions-section.ts';
import { definitionsSection } from './definitions-section.ts';
import { html, type Html } from './html.ts';
import { issueLogSection } from './issue-log-section.ts';
import { adminLayout } from './layout.ts';
import { syncSection } from './sync-section.ts';

/** The whole admin page of one portal, for one signed-in admin. */
export function adminPage(
  data: AdminPageData,
  session: { userEmail: string | null; userId: number; csrfToken: string },
): Html {
  const { portal } = data;
  const header = html`<header>
    <div class="brand">
      Closed Loop · portal ${String(portal.portalId)}${portal.hubDomain ? ` (${portal.hubDomain})` : ''}
    </div>
    <nav>
      <a href="#dashboards">Dashboards</a><a href="#definitions">Definitions</a><a href="#issues">Issue log</a
      ><a href="#decisions">Decision log</a> <a href="#sync">Sync</a><a href="#api-keys">API keys</a
      ><a href="#admins">Admins</a>
    </nav>
    <form method="post" action="/admin/logout" class="signout">
      <input type="hidden" name="_csrf" value="${session.csrfToken}" />
      <span>${session.userEmail ?? `user ${session.userId}`}</span> <button type="submit">Sign out</button>
    </form>
  </header>`;
  return adminLayout({
    title: `Portal ${portal.portalId}`,
    csrfToken: session.csrfToken,
    header,
    body: html`${dashboardsSection(data)}${definitionsSection(data)}${issueLogSection(data)}${decisionsSection(data)}${syncSection(data)}${apiKeysSection(data)}${adminsSection(data)}`,
  });
}

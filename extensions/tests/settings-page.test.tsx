import { describe, expect, it, vi } from 'vitest';
import { Alert, Button, LoadingSpinner, StatusTag, Table, TableRow, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { SettingsPage } from '../settings/SettingsPage.tsx';
import { BASE_URL, data, fakeBackend, refused } from './helpers/backend.ts';
import { PORTAL_ID, settingsContext, USER_EMAIL, USER_ID } from './helpers/context.ts';
import { textOf } from './helpers/render.ts';
import { adminSummaryData } from './helpers/settings-summary.ts';

const CLAIMS = { portalId: PORTAL_ID, userId: USER_ID, userEmail: USER_EMAIL };
const link = (token: string) => ({
  url: `${BASE_URL}/admin/enter?token=${token}`,
  expiresAt: '2026-11-07T16:25:00.000Z',
});

function renderSettings(backend: ReturnType<typeof fakeBackend>) {
  const renderer = createRenderer('settings');
  renderer.render(<SettingsPage context={settingsContext(renderer.mocks.context)} fetch={backend.fetch} />);
  return renderer;
}

describe('settings page', () => {
  it('asks the backend for an entry link with the portal and user of the context', async () => {
    const backend = fakeBackend().on('/admin/link', 'never');
    const r = renderSettings(backend);
    await vi.waitFor(() => expect(backend.sentTo('/admin/link').map((s) => s.body)).toEqual([CLAIMS]));
    expect(backend.requests[0]?.url).toBe(`${BASE_URL}/admin/link`);
    expect(r.find(LoadingSpinner).props.label).toBe('Checking this account with Closed Loop');
    expect(r.find(StatusTag).text).toBe('Checking…');
  });

  it('shows an admin the status and a button opening the admin page in a new tab, then fetches the next link', async () => {
    const backend = fakeBackend()
      .on('/admin/link', data(link('first')), data(link('second')))
      .on('/admin/summary', data(adminSummaryData()));
    const r = renderSettings(backend);
    await r.waitFor(() => expect(r.find(StatusTag).text).toBe('Installed · you are an admin'));
    const open = r.findByTestId(Button, 'open-admin-page');
    expect(open.props.href).toEqual({ url: `${BASE_URL}/admin/enter?token=first`, external: true });
    expect(textOf(r.getRootNode())).toMatch(/The link works once, until Nov 7, 2026, 4:25\sPM\./);

    open.trigger('onClick');
    await r.waitFor(() =>
      expect(r.findByTestId(Button, 'open-admin-page').props.href).toEqual({
        url: `${BASE_URL}/admin/enter?token=second`,
        external: true,
      }),
    );
    expect(backend.sentTo('/admin/link')).toHaveLength(2);
    // A new link leaves the status as it was: it is asked once.
    expect(backend.sentTo('/admin/summary')).toHaveLength(1);
  });

  it('says when Closed Loop is not installed in the account, and asks for no status', async () => {
    const backend = fakeBackend().on(
      '/admin/link',
      refused('Closed Loop is not installed in this HubSpot account.', 'not_found'),
    );
    const r = renderSettings(backend);
    await r.waitFor(() => expect(r.find(StatusTag).text).toBe('Not installed'));
    expect(r.find(Alert).props.title).toBe('Closed Loop is not installed');
    expect(textOf(r.find(Alert))).toContain('Closed Loop is not installed in this HubSpot account.');
    expect(r.maybeFindByTestId(Button, 'open-admin-page')).toBeNull();
    expect(r.maybeFindByTestId(Table, 'sync-runs')).toBeNull();
    expect(backend.sentTo('/admin/summary')).toEqual([]);
  });

  it('says when the user is not an admin, with no link and no status of the account', async () => {
    const backend = fakeBackend().on(
      '/admin/link',
      refused('Only admins of this HubSpot account may open this page.', 'forbidden'),
    );
    const r = renderSettings(backend);
    await r.waitFor(() => expect(r.find(StatusTag).text).toBe('Installed · you are not an admin'));
    expect(textOf(r.find(Alert))).toContain('Only admins of this HubSpot account may open this page.');
    expect(r.maybeFindByTestId(Button, 'open-admin-page')).toBeNull();
    expect(r.maybeFindByTestId(Table, 'sync-runs')).toBeNull();
    expect(r.maybeFindByTestId(Table, 'loops')).toBeNull();
    expect(backend.sentTo('/admin/summary')).toEqual([]);
  });

  it('shows a failure with a retry, and never follows a link to another site', async () => {
    const backend = fakeBackend().on(
      '/admin/link',
      { status: 500 },
      data({ url: 'https://evil.example.net/admin/enter?token=x', expiresAt: '2026-11-07T16:25:00.000Z' }),
    );
    const r = renderSettings(backend);
    await r.waitFor(() => expect(r.find(Alert).props.title).toBe('Closed Loop could not be checked'));
    expect(textOf(r.find(Alert))).toBe('Closed Loop answered with an error (HTTP 500).');
    r.find(Button, (b) => textOf(b) === 'Try again').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert))).toBe('Closed Loop sent a link this page could not use.'));
    expect(r.maybeFindByTestId(Button, 'open-admin-page')).toBeNull();
  });
});

/** The cells of each body row of the table with `testId`, as text. */
function rowsOf(r: ReturnType<typeof renderSettings>, testId: string): string[][] {
  return r
    .findByTestId(Table, testId)
    .findAll(TableRow)
    .slice(1)
    .map((row) => row.childNodes.map((cell) => textOf(cell)));
}

describe('settings page: the account’s status for an admin', () => {
  it('shows the sync, the last run of each loop and the policy in brief, asked with the context’s claims', async () => {
    const backend = fakeBackend()
      .on('/admin/link', data(link('first')))
      .on('/admin/summary', data(adminSummaryData()));
    const r = renderSettings(backend);
    await r.waitFor(() => expect(r.maybeFindByTestId(Table, 'sync-runs')).not.toBeNull());
    expect(backend.sentTo('/admin/summary').map((s) => s.body)).toEqual([CLAIMS]);
    expect(backend.sentTo('/admin/summary')[0]?.url).toBe(`${BASE_URL}/admin/summary`);

    expect(r.findByTestId(StatusTag, 'sync-now').text).toBe('Idle');
    expect(rowsOf(r, 'sync-runs')).toEqual([
      ['Last full sync', 'Succeeded', 'Oct 30, 2026, 9:00 AM', 'Oct 30, 2026, 9:42 AM', '48,210', '0'],
      ['Last incremental sync', 'Failed', 'Nov 7, 2026, 4:00 PM', 'Nov 7, 2026, 4:01 PM', '12', '3'],
    ]);
    const page = textOf(r.getRootNode());
    expect(page).toContain('Incremental sync failed: HubSpot answered 502 three times');
    expect(page).toContain('Last successful incremental sync: Nov 7, 2026, 3:46 PM.');

    expect(rowsOf(r, 'loops')).toEqual([
      ['Incremental sync', 'Every 15 minutes', 'Nov 7, 2026, 4:01 PM', 'FailedHubSpot answered 502 three times'],
      [
        'Hygiene evaluation',
        'Daily at 03:15 UTC',
        'Nov 7, 2026, 3:16 AM',
        'SucceededEvery record evaluated; changed records are evaluated as they change in between.',
      ],
      [
        'Weekly digest',
        'Mondays at 07:00 UTC',
        'Nov 2, 2026, 7:00 AM',
        'Running2026-W45 · 3 tasks created, 1 still to deliver.',
      ],
      ['Monthly KPI snapshot', 'The 1st of each month at 04:00 UTC', 'Nov 1, 2026, 4:00 AM', 'Succeeded2026-11'],
      ['Quarterly definitions review', 'The first day of each quarter at 08:00 UTC', '—', 'Not run yet'],
    ]);

    expect(textOf(r.findByTestId(Text, 'policy-version'))).toBe(
      'Definitions version 4, changed by ana@example.com on Oct 2, 2026, 9:30 AM: Deal stall SLA to 21 days',
    );
    expect(page).toContain('6 contact · 5 deal · 4 ticket');
    expect(page).toContain('Linear (3 of 9 models enabled)');
    expect(textOf(r.findByTestId(Text, 'open-findings'))).toBe('137');
    expect(page).toContain('As of Nov 7, 2026, 4:20 PM.');
  });

  it('says a sync is running, and shows runs that never happened as such', async () => {
    const summary = adminSummaryData();
    summary.sync = { ...summary.sync, running: true, lastFull: null };
    const r = renderSettings(
      fakeBackend()
        .on('/admin/link', data(link('first')))
        .on('/admin/summary', data(summary)),
    );
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'sync-now').text).toBe('A sync is running'));
    expect(rowsOf(r, 'sync-runs')[0]).toEqual(['Last full sync', 'Not run yet', '—', '—', '—', '—']);
  });

  it('shows a spinner while the status loads, with the link already usable', async () => {
    const r = renderSettings(
      fakeBackend()
        .on('/admin/link', data(link('first')))
        .on('/admin/summary', 'never'),
    );
    await r.waitFor(() => expect(r.find(StatusTag).text).toBe('Installed · you are an admin'));
    expect(r.findByTestId(Button, 'open-admin-page').props.href).toEqual({
      url: `${BASE_URL}/admin/enter?token=first`,
      external: true,
    });
    expect(r.find(LoadingSpinner).props.label).toBe('Loading the account’s status from Closed Loop');
  });

  it('shows a failed status as an error with a retry, while the link keeps working', async () => {
    const backend = fakeBackend()
      .on('/admin/link', data(link('first')), data(link('second')))
      .on('/admin/summary', { status: 502 }, data(adminSummaryData()));
    const r = renderSettings(backend);
    await r.waitFor(() => expect(r.find(Alert).props.title).toBe('The account’s status could not be loaded'));
    expect(textOf(r.find(Alert))).toBe('Closed Loop answered with an error (HTTP 502). The admin page shows it too.');
    expect(r.find(StatusTag).text).toBe('Installed · you are an admin');
    expect(r.maybeFindByTestId(Table, 'sync-runs')).toBeNull();

    const open = r.findByTestId(Button, 'open-admin-page');
    expect(open.props.href).toEqual({ url: `${BASE_URL}/admin/enter?token=first`, external: true });
    open.trigger('onClick');
    await r.waitFor(() =>
      expect(r.findByTestId(Button, 'open-admin-page').props.href).toEqual({
        url: `${BASE_URL}/admin/enter?token=second`,
        external: true,
      }),
    );
    // The error stays until the admin asks again; a new link does not.
    expect(backend.sentTo('/admin/summary')).toHaveLength(1);

    r.find(Button, (b) => textOf(b) === 'Load the status again').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Table, 'sync-runs')).not.toBeNull());
    expect(r.maybeFind(Alert)).toBeNull();
    expect(backend.sentTo('/admin/summary')).toHaveLength(2);
  });

  it('shows the backend’s refusal of the status (an admin removed meanwhile) and an answer it cannot read', async () => {
    const refusedStatus = renderSettings(
      fakeBackend()
        .on('/admin/link', data(link('first')))
        .on('/admin/summary', refused('Only admins of this HubSpot account may open this page.', 'forbidden')),
    );
    await refusedStatus.waitFor(() =>
      expect(textOf(refusedStatus.find(Alert))).toContain('Only admins of this HubSpot account may open this page.'),
    );

    const unreadable = renderSettings(
      fakeBackend()
        .on('/admin/link', data(link('first')))
        .on('/admin/summary', data({ ...adminSummaryData(), openFindings: -1 })),
    );
    await unreadable.waitFor(() =>
      expect(textOf(unreadable.find(Alert))).toContain('Closed Loop sent an answer this card could not read.'),
    );
    expect(unreadable.maybeFindByTestId(Table, 'sync-runs')).toBeNull();
  });

  it('asks again on "Refresh the status" and shows the new figures', async () => {
    const later = adminSummaryData();
    later.openFindings = 120;
    const backend = fakeBackend()
      .on('/admin/link', data(link('first')))
      .on('/admin/summary', data(adminSummaryData()), data(later));
    const r = renderSettings(backend);
    await r.waitFor(() => expect(textOf(r.findByTestId(Text, 'open-findings'))).toBe('137'));
    r.find(Button, (b) => textOf(b) === 'Refresh the status').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.findByTestId(Text, 'open-findings'))).toBe('120'));
    expect(backend.sentTo('/admin/summary')).toHaveLength(2);
  });
});

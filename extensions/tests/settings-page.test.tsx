import { describe, expect, it, vi } from 'vitest';
import { Alert, Button, LoadingSpinner, StatusTag } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { SettingsPage } from '../settings/SettingsPage.tsx';
import { BASE_URL, data, fakeBackend, refused } from './helpers/backend.ts';
import { PORTAL_ID, settingsContext, USER_EMAIL, USER_ID } from './helpers/context.ts';
import { textOf } from './helpers/render.ts';

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
    const backend = fakeBackend().on('/admin/link', data(link('first')), data(link('second')));
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
  });

  it('says when Closed Loop is not installed in the account', async () => {
    const r = renderSettings(
      fakeBackend().on('/admin/link', refused('Closed Loop is not installed in this HubSpot account.', 'not_found')),
    );
    await r.waitFor(() => expect(r.find(StatusTag).text).toBe('Not installed'));
    expect(r.find(Alert).props.title).toBe('Closed Loop is not installed');
    expect(textOf(r.find(Alert))).toContain('Closed Loop is not installed in this HubSpot account.');
    expect(r.maybeFindByTestId(Button, 'open-admin-page')).toBeNull();
  });

  it('says when the user is not an admin, with no link', async () => {
    const r = renderSettings(
      fakeBackend().on('/admin/link', refused('Only admins of this HubSpot account may open this page.', 'forbidden')),
    );
    await r.waitFor(() => expect(r.find(StatusTag).text).toBe('Installed · you are not an admin'));
    expect(textOf(r.find(Alert))).toContain('Only admins of this HubSpot account may open this page.');
    expect(r.maybeFindByTestId(Button, 'open-admin-page')).toBeNull();
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

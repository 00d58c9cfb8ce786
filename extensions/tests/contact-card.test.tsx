import { describe, expect, it, vi } from 'vitest';
import {
  Alert,
  EmptyState,
  ErrorState,
  Flex,
  LoadingButton,
  LoadingSpinner,
  StatusTag,
  Table,
  TableCell,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import { CrmActionLink } from '@hubspot/ui-extensions/crm';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { ContactCard } from '../cards/contact/ContactCard.tsx';
import type { ContactCardData } from '../lib/contracts/contact.ts';
import { data, fakeBackend, refused } from './helpers/backend.ts';
import { crmContext, PORTAL_ID, USER_EMAIL, USER_ID } from './helpers/context.ts';
import { contactCardData } from './helpers/fixtures.ts';
import { textOf } from './helpers/render.ts';

const CONTACT_ID = 1049;
const CLAIMS = { portalId: PORTAL_ID, userId: USER_ID, userEmail: USER_EMAIL, objectId: CONTACT_ID };

function renderContact(backend: ReturnType<typeof fakeBackend>) {
  const renderer = createRenderer('crm.record.tab');
  const context = crmContext(renderer.mocks.context, CONTACT_ID, '0-1');
  renderer.render(<ContactCard context={context} actions={renderer.mocks.actions} fetch={backend.fetch} />);
  return renderer;
}

const ready = (r: ReturnType<typeof createRenderer<'crm.record.tab'>>) =>
  r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());

describe('contact card', () => {
  it('shows a spinner while the contact loads, asking for it with the ids from the context', async () => {
    const backend = fakeBackend().on('/cards/v1/contact', 'never');
    const r = renderContact(backend);
    await vi.waitFor(() => expect(backend.sentTo('/cards/v1/contact').map((s) => s.body)).toEqual([CLAIMS]));
    expect(r.find(LoadingSpinner).props.label).toBe('Loading this contact from Closed Loop');
  });

  it('shows the lifecycle timeline with entered-at times and its flags, the touches, the survivor and the SLAs', async () => {
    const r = renderContact(fakeBackend().on('/cards/v1/contact', data(contactCardData())));
    await ready(r);
    const rows = r.findByTestId(Table, 'timeline').findAll(TableRow).slice(1);
    expect(rows.map((row) => row.findAll(TableCell).map(textOf))).toEqual([
      ['Lead', 'Not entered', 'Skipped'],
      ['MQL', expect.stringMatching(/^Nov 6, 2026, 1:00\sAM$/), 'Current'],
      ['SAL', expect.stringMatching(/^Nov 4, 2026, 1:00\sAM$/), 'Moved back from here'],
    ]);

    expect(r.findByTestId(Text, 'first-touch').text).toMatch(
      /^Sep 1, 2026, 10:00\sAM · Paid search, campaign spring-26$/,
    );
    expect(r.findByTestId(Text, 'last-touch').text).toMatch(/^Nov 5, 2026, 8:15\sAM · Organic search$/);

    expect(textOf(r.findByTestId(Alert, 'duplicate-of'))).toContain('It shares the same email with contact 1063');
    const links = r.findAll(CrmActionLink);
    expect(links.map((l) => [textOf(l), l.props.actionType, l.props.actionContext])).toEqual([
      ['Open the surviving contact (1063)', 'RECORD_APP_LINK', { objectTypeId: '0-1', objectId: 1063 }],
      ['Contact 1063', 'RECORD_APP_LINK', { objectTypeId: '0-1', objectId: 1063 }],
    ]);

    expect(textOf(r.findByTestId(Flex, 'sla-lead_acceptance'))).toBe(
      'Lead acceptanceBreachedAccept or reject the lead.',
    );
    expect(r.findByTestId(Flex, 'sla-lead_acceptance').find(StatusTag).props.variant).toBe('danger');
    expect(r.findByTestId(Flex, 'sla-lead_follow_up').find(StatusTag).text).toBe('On track');
    expect(r.find(LoadingButton).props.disabled).toBe(false);
  });

  it('says when the contact is outside the lifecycle and has no touches or duplicates', async () => {
    const outside: ContactCardData = {
      ...contactCardData(),
      inScope: false,
      stage: null,
      compliance: null,
      timeline: [],
      touches: { count: 0, first: null, last: null, recent: [] },
      duplicates: { survivorId: null, others: [], property: 'email' },
      slas: [],
      acceptLead: {
        available: false,
        property: 'clr_sal_date',
        reason: 'Only a lead at MQL can be accepted; this contact is at no stage.',
        acceptedAt: null,
      },
    };
    const r = renderContact(fakeBackend().on('/cards/v1/contact', data(outside)));
    await ready(r);
    expect(r.find(EmptyState).props.title).toBe('Not in the lifecycle');
    const text = textOf(r.getRootNode());
    expect(text).toContain('No touch is recorded for this contact.');
    expect(text).toContain('No other contact has the same email.');
    expect(text).toContain('No SLA applies to this contact now.');
    expect(r.maybeFind(CrmActionLink)).toBeNull();
    expect(r.find(LoadingButton).props.disabled).toBe(true);
    expect(text).toContain('Only a lead at MQL can be accepted; this contact is at no stage.');
  });

  it("shows the backend's message when the contact cannot be loaded", async () => {
    const r = renderContact(
      fakeBackend().on(
        '/cards/v1/contact',
        refused('This record is not one of this HubSpot account’s records in Closed Loop.', 'not_found'),
      ),
    );
    await r.waitFor(() => expect(r.find(ErrorState).props.title).toBe('Closed Loop could not load this contact'));
    expect(textOf(r.find(ErrorState))).toContain('This record is not one of this HubSpot account’s records');
  });

  it('accepts the lead: sends the claims to the accept endpoint, shows when it was accepted and refreshes the record', async () => {
    const accepted = contactCardData();
    accepted.stage = { id: 'sal', label: 'SAL' };
    accepted.acceptLead = {
      available: false,
      property: 'clr_sal_date',
      reason: 'This lead was already accepted.',
      acceptedAt: '2026-11-07T16:20:00.000Z',
    };
    const backend = fakeBackend()
      .on('/cards/v1/contact', data(contactCardData()))
      .on('/cards/v1/contact/accept-lead', data(accepted));
    const r = renderContact(backend);
    await ready(r);

    r.find(LoadingButton).trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'accept-lead-outcome').props.title).toBe('Saved in HubSpot'));
    expect(backend.sentTo('/cards/v1/contact/accept-lead').map((s) => s.body)).toEqual([CLAIMS]);
    expect(textOf(r.findByTestId(Alert, 'accept-lead-outcome'))).toMatch(/^Lead accepted on Nov 7, 2026, 4:20\sPM\.$/);
    expect(r.findByTestId(Text, 'accepted-at').text).toMatch(/^Lead accepted by sales on Nov 7, 2026, 4:20\sPM\.$/);
    expect(r.maybeFind(LoadingButton)).toBeNull();
    expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(1);
  });

  it("shows the backend's message when accepting the lead is refused", async () => {
    const backend = fakeBackend()
      .on('/cards/v1/contact', data(contactCardData()))
      .on('/cards/v1/contact/accept-lead', refused('Only a lead at MQL can be accepted; this contact is at SQL.'));
    const r = renderContact(backend);
    await ready(r);
    r.find(LoadingButton).trigger('onClick');
    await r.waitFor(() =>
      expect(r.findByTestId(Alert, 'accept-lead-outcome').props.title).toBe('The lead was not accepted'),
    );
    expect(textOf(r.findByTestId(Alert, 'accept-lead-outcome'))).toBe(
      'Only a lead at MQL can be accepted; this contact is at SQL.',
    );
    expect(r.find(LoadingButton).props.disabled).toBe(false);
    expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(0);
  });
});

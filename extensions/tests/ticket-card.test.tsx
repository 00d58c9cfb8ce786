import { describe, expect, it, vi } from 'vitest';
import {
  Alert,
  Button,
  Checkbox,
  EmptyState,
  ErrorState,
  Flex,
  LoadingSpinner,
  ProgressBar,
  Select,
  StatusTag,
  Text,
} from '@hubspot/ui-extensions';
import { CrmActionLink } from '@hubspot/ui-extensions/crm';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { TicketCard } from '../cards/ticket/TicketCard.tsx';
import type { TicketCardData } from '../lib/contracts/ticket.ts';
import { data, fakeBackend, refused } from './helpers/backend.ts';
import { crmContext, PORTAL_ID, USER_EMAIL, USER_ID } from './helpers/context.ts';
import { ticketCardData } from './helpers/fixtures.ts';
import { fire, textOf } from './helpers/render.ts';

const TICKET_ID = 1270;
const CLAIMS = { portalId: PORTAL_ID, userId: USER_ID, userEmail: USER_EMAIL, objectId: TICKET_ID };

function renderTicket(backend: ReturnType<typeof fakeBackend>) {
  const renderer = createRenderer('crm.record.tab');
  const context = crmContext(renderer.mocks.context, TICKET_ID, '0-5');
  renderer.render(<TicketCard context={context} actions={renderer.mocks.actions} fetch={backend.fetch} />);
  return renderer;
}

const ready = (r: ReturnType<typeof createRenderer<'crm.record.tab'>>) =>
  r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());

/** The ticket after the statement of work was checked by the user of the context. */
function withSowChecked(): TicketCardData {
  const ticket = ticketCardData();
  const handoff = ticket.checklists[0]!;
  handoff.items[1] = {
    ...handoff.items[1]!,
    checked: true,
    checkedByUserId: String(USER_ID),
    checkedByEmail: USER_EMAIL,
    checkedAt: '2026-11-07T14:45:00.000Z',
  };
  Object.assign(handoff, { done: 2, percent: 100, complete: true });
  return ticket;
}

describe('ticket card', () => {
  it('shows a spinner while the ticket loads, asking for it with the ids from the context', async () => {
    const backend = fakeBackend().on('/cards/v1/ticket', 'never');
    const r = renderTicket(backend);
    await vi.waitFor(() => expect(backend.sentTo('/cards/v1/ticket').map((s) => s.body)).toEqual([CLAIMS]));
    expect(r.find(LoadingSpinner).props.label).toBe('Loading this ticket from Closed Loop');
  });

  it('shows the handoff checklist with who checked what and when, the origin deal, the SLA promised and the contract match', async () => {
    const r = renderTicket(fakeBackend().on('/cards/v1/ticket', data(ticketCardData())));
    await ready(r);
    expect(r.findByTestId(ProgressBar, 'checklist-handoff-progress').props).toMatchObject({
      value: 50,
      maxValue: 100,
      title: '1 of 2 done · all required from In delivery',
    });
    expect(r.findByTestId(Checkbox, 'item-kickoff').props.checked).toBe(true);
    expect(textOf(r.findByTestId(Checkbox, 'item-kickoff'))).toBe('Kickoff call held');
    expect(r.findByTestId(Text, 'item-kickoff-by').text).toMatch(
      /^Checked by ana@example\.com on Nov 2, 2026, 9:30\sAM$/,
    );
    expect(r.findByTestId(Checkbox, 'item-sow').props.checked).toBe(false);
    expect(r.maybeFindByTestId(Text, 'item-sow-by')).toBeNull();

    const dealLink = r.find(CrmActionLink);
    expect(dealLink.props.actionContext).toEqual({ objectTypeId: '0-3', objectId: 1269 });
    expect(textOf(dealLink)).toBe('Acme renewal');
    expect(r.findByTestId(Text, 'lead-channel').text).toBe('Paid search');
    expect(r.findByTestId(Text, 'sla-scope').text).toBe('99.9% uptime, 4h response');
    const contract = r.findByTestId(Flex, 'contract');
    expect(textOf(contract)).toBe('Contract id CTR-48614 (deal: CTR-48614)Matches the deal');
    expect(contract.find(StatusTag).props.variant).toBe('success');

    expect(r.find(Select, { name: 'clr-change-request-reason' }).props).toMatchObject({
      value: undefined,
      options: [
        { value: 'scope_change', label: 'Scope change' },
        { value: 'timeline', label: 'Timeline' },
      ],
    });
  });

  it('says when nothing applies to the ticket', async () => {
    const outside: TicketCardData = {
      ...ticketCardData(),
      inScope: false,
      stage: null,
      compliance: null,
      checklists: [],
      originDeal: null,
      dealIds: [],
      contract: null,
      changeRequestReason: { value: null, valid: true, picklist: null, options: [] },
    };
    const r = renderTicket(fakeBackend().on('/cards/v1/ticket', data(outside)));
    await ready(r);
    expect(r.find(EmptyState).props.title).toBe('Nothing to hand off on this ticket');
    expect(r.maybeFind(Checkbox)).toBeNull();
    expect(r.maybeFind(Select)).toBeNull();
  });

  it("shows the backend's message when the ticket cannot be loaded", async () => {
    const r = renderTicket(fakeBackend().on('/cards/v1/ticket', { transportError: 'socket hang up' }));
    await r.waitFor(() => expect(r.find(ErrorState).props.title).toBe('Closed Loop could not load this ticket'));
    expect(textOf(r.find(ErrorState))).toContain('Closed Loop could not be reached. Try again in a moment.');
  });

  it('checks an item: sends the item to the checklist endpoint, shows who checked it and when, and refreshes the record', async () => {
    const backend = fakeBackend()
      .on('/cards/v1/ticket', data(ticketCardData()))
      .on('/cards/v1/ticket/checklist', data(withSowChecked()));
    const r = renderTicket(backend);
    await ready(r);

    fire(r.findByTestId(Checkbox, 'item-sow'), 'onChange', true);
    await r.waitFor(() => expect(r.findByTestId(Checkbox, 'item-sow').props.checked).toBe(true));
    expect(backend.sentTo('/cards/v1/ticket/checklist').map((s) => s.body)).toEqual([
      { ...CLAIMS, checklist: 'handoff', item: 'sow', checked: true },
    ]);
    expect(r.findByTestId(Text, 'item-sow-by').text).toMatch(/^Checked by rep@example\.com on Nov 7, 2026, 2:45\sPM$/);
    expect(r.findByTestId(ProgressBar, 'checklist-handoff-progress').props).toMatchObject({
      value: 100,
      variant: 'success',
    });
    expect(r.find(StatusTag, { variant: 'success' }).text).toBe('Complete');
    expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(1);
  });

  it("shows the backend's message when a checklist change is refused", async () => {
    const backend = fakeBackend()
      .on('/cards/v1/ticket', data(ticketCardData()))
      .on('/cards/v1/ticket/checklist', refused('Checklist handoff has no item "sow". Nothing was changed.'));
    const r = renderTicket(backend);
    await ready(r);
    fire(r.findByTestId(Checkbox, 'item-kickoff'), 'onChange', false);
    await r.waitFor(() => expect(r.find(Alert).props.title).toBe('The checklist was not changed'));
    expect(backend.sentTo('/cards/v1/ticket/checklist')[0]?.body).toMatchObject({ item: 'kickoff', checked: false });
    expect(textOf(r.find(Alert))).toBe('Checklist handoff has no item "sow". Nothing was changed.');
    expect(r.findByTestId(Checkbox, 'item-kickoff').props.checked).toBe(true);
    expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(0);
  });

  it('sets the change-request reason from its governed options, and clears it', async () => {
    const set = ticketCardData();
    set.changeRequestReason = { ...set.changeRequestReason, value: 'scope_change' };
    const backend = fakeBackend()
      .on('/cards/v1/ticket', data(ticketCardData()))
      .on('/cards/v1/ticket/change-request-reason', data(set), data(ticketCardData()));
    const r = renderTicket(backend);
    await ready(r);

    fire(r.find(Select, { name: 'clr-change-request-reason' }), 'onChange', 'scope_change');
    await r.waitFor(() => expect(textOf(r.find(Alert))).toBe('Change-request reason set to Scope change.'));
    expect(r.find(Select, { name: 'clr-change-request-reason' }).props.value).toBe('scope_change');
    r.find(Button, (b) => textOf(b) === 'Clear the reason').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert))).toBe('Change-request reason cleared.'));

    expect(backend.sentTo('/cards/v1/ticket/change-request-reason').map((s) => s.body)).toEqual([
      { ...CLAIMS, value: 'scope_change' },
      { ...CLAIMS, value: '' },
    ]);
    expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(2);
  });

  it('flags a reason outside the picklist and shows a refusal', async () => {
    const invalid = ticketCardData();
    invalid.changeRequestReason = { ...invalid.changeRequestReason, value: 'budget', valid: false };
    const backend = fakeBackend()
      .on('/cards/v1/ticket', data(invalid))
      .on('/cards/v1/ticket/change-request-reason', refused('"later" is not a change-request reason.'));
    const r = renderTicket(backend);
    await ready(r);
    const select = r.find(Select, { name: 'clr-change-request-reason' });
    expect(select.props).toMatchObject({
      value: undefined,
      error: true,
      validationMessage: '"budget" is not one of the governed reasons.',
    });
    fire(select, 'onChange', 'later');
    await r.waitFor(() => expect(r.find(Alert).props.title).toBe('The reason was not changed'));
    expect(textOf(r.find(Alert))).toBe('"later" is not a change-request reason.');
  });
});

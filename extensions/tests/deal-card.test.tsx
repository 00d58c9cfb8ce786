import { describe, expect, it, vi } from 'vitest';
import {
  Alert,
  BarChart,
  DateInput,
  EmptyState,
  ErrorState,
  Button,
  Input,
  LoadingButton,
  LoadingSpinner,
  NumberInput,
  ProgressBar,
  Select,
  StatusTag,
  Table,
  TableCell,
  TableHeader,
  TableRow,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { DealCard } from '../cards/deal/DealCard.tsx';
import { BASE_URL, data, deferred, fakeBackend, refused, type Answer } from './helpers/backend.ts';
import { fire, textOf } from './helpers/render.ts';
import { crmContext, PORTAL_ID, USER_EMAIL, USER_ID } from './helpers/context.ts';
import { dealCardData, dealUnderLinear, PRODUCT_LINES } from './helpers/fixtures.ts';

const DEAL_ID = 1235;
const CLAIMS = { portalId: PORTAL_ID, userId: USER_ID, userEmail: USER_EMAIL, objectId: DEAL_ID };

function renderDeal(backend: ReturnType<typeof fakeBackend>) {
  const renderer = createRenderer('crm.record.tab');
  const context = crmContext(renderer.mocks.context, DEAL_ID, '0-3');
  renderer.render(<DealCard context={context} actions={renderer.mocks.actions} fetch={backend.fetch} />);
  return renderer;
}

const ready = (r: ReturnType<typeof createRenderer<'crm.record.tab'>>) =>
  r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());

describe('deal card', () => {
  it('shows a spinner while the deal loads, asking for it with the ids from the context', async () => {
    const backend = fakeBackend().on('/cards/v1/deal', 'never');
    const r = renderDeal(backend);
    await vi.waitFor(() => expect(backend.requests).toHaveLength(1));
    expect(r.find(LoadingSpinner).props.label).toBe('Loading this deal from Closed Loop');
    expect(backend.requests).toEqual([
      { url: `${BASE_URL}/cards/v1/deal`, path: '/cards/v1/deal', method: 'POST', body: CLAIMS },
    ]);
  });

  it('shows compliance, the fields missing now and for the next stage with the right inputs, join keys and time in stage', async () => {
    const r = renderDeal(fakeBackend().on('/cards/v1/deal', data(dealCardData())));
    await ready(r);
    expect(r.find(StatusTag, { variant: 'danger' }).text).toBe('Invalid');
    expect(r.findByTestId(Text, 'compliance-score').text).toBe('Score 40/100 · 2 of 5 checks pass');

    const productLine = r.findByTestId(Tile, 'field-clr_product_line');
    expect(productLine.find(Select).props.options).toEqual(PRODUCT_LINES);
    expect(productLine.find(Select).props.value).toBeUndefined();
    expect(textOf(productLine)).toContain('"Cloud" is not one of its options. Pick one of the product lines.');
    expect(r.findByTestId(Tile, 'field-amount').find(NumberInput).props.label).toBe('Amount');
    expect(r.findByTestId(Tile, 'field-closedate').find(DateInput).props.label).toBe('Close date');
    const slaScope = r.findByTestId(Tile, 'field-clr_sla_scope');
    expect(slaScope.find(Input).props.label).toBe('SLA scope');
    expect(textOf(r.getRootNode())).toContain('Also required to move to Proposal');
    // Nothing can be saved before a value is entered.
    expect(r.findAll(LoadingButton).every((b) => b.props.disabled === true)).toBe(true);

    expect(textOf(r.getRootNode())).toContain('Associate the deal with its company.');
    const stage = r.findByTestId(ProgressBar, 'time-in-stage');
    expect(stage.props).toMatchObject({ value: 12, maxValue: 30, variant: 'success' });
    expect(stage.props.title).toBe('Deal stall: 12 of 30 days in Discovery since Oct 11, 2026');
  });

  it('shows the credit by channel as a bar chart, the touches behind it and the coverage', async () => {
    const r = renderDeal(fakeBackend().on('/cards/v1/deal', data(dealCardData())));
    await ready(r);
    expect(r.find(Select, { name: 'clr-attribution-model' }).props).toMatchObject({
      value: 'first_touch',
      options: [
        { value: 'first_touch', label: 'First touch' },
        { value: 'linear', label: 'Linear' },
      ],
    });
    expect(r.findByTestId(BarChart, 'credit-by-channel').props.data).toEqual([
      { channel: 'Paid search', credit: 10_000 },
    ]);
    const rows = r.findByTestId(Table, 'attribution-touches').findAll(TableRow);
    expect(rows.map((row) => row.findAll(TableCell).map(textOf))).toEqual([
      [],
      [expect.stringMatching(/^Sep 1, 2026, 10:00\sAM$/), 'Paid search', 'spring-26', 'HubSpot', '10,000.00'],
      [expect.stringMatching(/^Sep 20, 2026, 10:00\sAM$/), 'Events', '—', 'Ingest API', '0.00'],
    ]);
    expect(rows[0]!.findAll(TableHeader).map(textOf)).toEqual(['When', 'Channel', 'Campaign', 'Source', 'Credit']);
    expect(r.findByTestId(Text, 'coverage-deals').text).toBe('1 of 1 (100%)');
    expect(r.findByTestId(Text, 'coverage-amount').text).toBe('10,000.00 of 10,000.00 (100%)');
  });

  it('says when the deal is outside the policy and attribution has not run yet', async () => {
    const deal = dealCardData();
    const outside = {
      ...deal,
      inScope: false,
      stage: null,
      nextStage: null,
      compliance: null,
      missingFields: { current: [], next: [] },
      missingJoinKeys: [],
      findings: [],
      stageTime: { enteredAt: null, days: null, sla: null },
      attribution: { ...deal.attribution, byChannel: [], touches: [], creditedCents: 0, computedAt: null },
    };
    const r = renderDeal(fakeBackend().on('/cards/v1/deal', data(outside)));
    await ready(r);
    expect(r.findAll(EmptyState).map((e) => e.props.title)).toEqual([
      'No checks apply to this deal',
      'No attribution yet',
    ]);
    expect(r.findByTestId(Text, 'compliance-score').text).toBe('Not scored: outside the data policy');
    expect(r.maybeFind(Tile)).toBeNull();
    expect(r.maybeFind(BarChart)).toBeNull();
  });

  it("shows the backend's message when the deal cannot be loaded, and loads it on retry", async () => {
    const backend = fakeBackend().on(
      '/cards/v1/deal',
      refused('This record is not one of this HubSpot account’s records in Closed Loop.', 'not_found'),
      data(dealCardData()),
    );
    const r = renderDeal(backend);
    await r.waitFor(() => expect(r.find(ErrorState).props.title).toBe('Closed Loop could not load this deal'));
    expect(textOf(r.find(ErrorState))).toContain('This record is not one of this HubSpot account’s records');
    r.find(ErrorState).find(Button).trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'compliance-score').text).toContain('Score 40/100'));
    expect(backend.sentTo('/cards/v1/deal')).toHaveLength(2);
  });

  it('says so when HubSpot cannot reach the backend', async () => {
    const r = renderDeal(fakeBackend().on('/cards/v1/deal', { status: 502 }));
    await r.waitFor(() =>
      expect(textOf(r.find(ErrorState))).toContain('Closed Loop answered with an error (HTTP 502).'),
    );
  });

  it('fills a picklist field: sends the option to the fill endpoint, shows the new state and refreshes the record', async () => {
    const after = dealCardData();
    after.missingFields.current = after.missingFields.current.filter((f) => f.property !== 'clr_product_line');
    after.compliance = { status: 'incomplete', score: 60, applicable: 5, passed: 3 };
    const backend = fakeBackend().on('/cards/v1/deal', data(dealCardData())).on('/cards/v1/deal/field', data(after));
    const r = renderDeal(backend);
    await ready(r);

    fire(r.findByTestId(Tile, 'field-clr_product_line').find(Select), 'onChange', 'managed_services');
    const save = r.findByTestId(Tile, 'field-clr_product_line').find(LoadingButton);
    expect(save.props.disabled).toBe(false);
    save.trigger('onClick');

    await r.waitFor(() => expect(textOf(r.findByTestId(Alert, 'deal-saved'))).toContain('Product line saved'));
    expect(backend.sentTo('/cards/v1/deal/field').map((s) => s.body)).toEqual([
      { ...CLAIMS, property: 'clr_product_line', value: 'managed_services', model: 'first_touch', kind: 'pipeline' },
    ]);
    expect(textOf(r.findByTestId(Alert, 'deal-saved'))).toBe(
      'Product line saved; compliance is now incomplete (score 60/100), 2 left to fill for this stage.',
    );
    expect(r.findByTestId(Text, 'compliance-score').text).toBe('Score 60/100 · 3 of 5 checks pass');
    expect(r.maybeFindByTestId(Tile, 'field-clr_product_line')).toBeNull();
    expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(1);
  });

  it('sends a number as a plain decimal and a date as YYYY-MM-DD, and refuses a number not above the minimum', async () => {
    const backend = fakeBackend()
      .on('/cards/v1/deal', data(dealCardData()))
      .on('/cards/v1/deal/field', data(dealCardData()));
    const r = renderDeal(backend);
    await ready(r);

    fire(r.findByTestId(Tile, 'field-amount').find(NumberInput), 'onChange', 0);
    expect(r.findByTestId(Tile, 'field-amount').find(NumberInput).props.validationMessage).toBe(
      'Must be greater than 0.',
    );
    expect(r.findByTestId(Tile, 'field-amount').find(LoadingButton).props.disabled).toBe(true);
    fire(r.findByTestId(Tile, 'field-amount').find(NumberInput), 'onChange', 1250.5);
    r.findByTestId(Tile, 'field-amount').find(LoadingButton).trigger('onClick');
    await vi.waitFor(() => expect(backend.sentTo('/cards/v1/deal/field')).toHaveLength(1));

    // DateInput counts months from 0: December is 11.
    fire(r.findByTestId(Tile, 'field-closedate').find(DateInput), 'onChange', { year: 2026, month: 11, date: 5 });
    r.findByTestId(Tile, 'field-closedate').find(LoadingButton).trigger('onClick');
    await vi.waitFor(() => expect(backend.sentTo('/cards/v1/deal/field')).toHaveLength(2));

    fire(r.findByTestId(Tile, 'field-clr_sla_scope').find(Input), 'onInput', '  99.9% uptime ');
    r.findByTestId(Tile, 'field-clr_sla_scope').find(LoadingButton).trigger('onClick');
    await vi.waitFor(() => expect(backend.sentTo('/cards/v1/deal/field')).toHaveLength(3));

    expect(backend.sentTo('/cards/v1/deal/field').map((s) => [s.body.property, s.body.value])).toEqual([
      ['amount', '1250.5'],
      ['closedate', '2026-12-05'],
      ['clr_sla_scope', '99.9% uptime'],
    ]);
  });

  it("shows the backend's message for a refused value and changes nothing", async () => {
    const message =
      'Product line: "Cloud" is not one of its options (managed_services: Managed services, platform: Platform). Nothing was changed.';
    const backend = fakeBackend()
      .on('/cards/v1/deal', data(dealCardData()))
      .on('/cards/v1/deal/field', refused(message));
    const r = renderDeal(backend);
    await ready(r);
    fire(r.findByTestId(Tile, 'field-clr_product_line').find(Select), 'onChange', 'platform');
    r.findByTestId(Tile, 'field-clr_product_line').find(LoadingButton).trigger('onClick');

    await r.waitFor(() =>
      expect(r.findByTestId(Tile, 'field-clr_product_line').find(Alert).props.title).toBe('Product line was not saved'),
    );
    expect(textOf(r.findByTestId(Tile, 'field-clr_product_line').find(Alert))).toBe(message);
    expect(r.maybeFindByTestId(Alert, 'deal-saved')).toBeNull();
    expect(r.findByTestId(Text, 'compliance-score').text).toBe('Score 40/100 · 2 of 5 checks pass');
    expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(0);
  });

  it('re-reads the deal under the model picked, and keeps the answer of the last pick when an earlier one is slower', async () => {
    const slow = deferred<Answer>();
    const backend = fakeBackend().on(
      '/cards/v1/deal',
      data(dealCardData()),
      () => slow.promise,
      data(dealUnderLinear()),
    );
    const r = renderDeal(backend);
    await ready(r);

    // Pick "revenue" first (its answer is held back), then the linear model.
    fire(r.find(Select, { name: 'clr-attribution-kind' }), 'onChange', 'revenue');
    fire(r.find(Select, { name: 'clr-attribution-model' }), 'onChange', 'linear');
    await r.waitFor(() => expect(r.find(Select, { name: 'clr-attribution-model' }).props.value).toBe('linear'));
    expect(backend.sentTo('/cards/v1/deal').map((s) => s.body)).toEqual([
      CLAIMS,
      { ...CLAIMS, model: 'first_touch', kind: 'revenue' },
      { ...CLAIMS, model: 'linear', kind: 'pipeline' },
    ]);
    expect(r.findByTestId(BarChart, 'credit-by-channel').props.data).toEqual([
      { channel: 'Events', credit: 5_000 },
      { channel: 'Paid search', credit: 5_000 },
    ]);

    slow.resolve(data({ ...dealCardData(), attribution: { ...dealCardData().attribution, kind: 'revenue' } }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.find(Select, { name: 'clr-attribution-model' }).props.value).toBe('linear');
    expect(r.find(Select, { name: 'clr-attribution-kind' }).props.value).toBe('pipeline');
  });
});

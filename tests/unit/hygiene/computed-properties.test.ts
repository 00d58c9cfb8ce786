import { describe, expect, it } from 'vitest';
import { HYGIENE_PROPERTY_NAMES } from '../../../server/domain/hygiene/index.ts';
import { D, edited, evaluate, goodContact, goodDeal, goodTicket, NOW, record } from './builders.ts';

/** Section 8: the written-back values, in HubSpot's string formats; empty ones are not written. */
describe('section 8: clr_compliance_status', () => {
  it.each([
    ['compliant', goodDeal('closed_won')],
    ['incomplete', goodDeal('closed_won', { amount: '' })], // missing_field
    ['incomplete', goodDeal('closed_won', { clr_contract_id: '' })], // missing_join_key
    ['incomplete', goodTicket('in_delivery', {}, { done: [] })], // checklist_incomplete
    ['invalid', goodDeal('closed_won', { clr_win_reason: 'luck' })], // invalid_value
    ['invalid', goodTicket('closed', { clr_contract_id: 'CTR-2' })], // join_key_mismatch
    ['invalid', goodDeal('closed_won', { hs_date_entered_presentationscheduled: null }, { history: [] })], // stage_gap
    ['invalid', goodDeal('closed_won', { amount: '', clr_win_reason: 'luck' })], // invalid beats incomplete
    ['compliant', goodDeal('discovery', { hs_date_entered_appointmentscheduled: '2026-01-01' }, { history: [] })], // sla only
  ])('is %s', (status, input) => {
    expect(evaluate(input).properties.clr_compliance_status).toBe(status);
  });
});

describe('section 8: clr_compliance_score', () => {
  it('is 100 × passed ÷ applicable, rounded half up', () => {
    // A Closed Won deal has 8 scored checks: 3 discovery rows, sla scope, win reason, buyer, contract id, stages.
    const broken = {
      amount: '',
      closedate: '',
      clr_product_line: '',
      clr_sla_scope: '',
      clr_win_reason: '',
      clr_contract_id: '',
    };
    const score = (props: Record<string, string>, associations = true) =>
      evaluate(goodDeal('closed_won', props, associations ? {} : { associations: [] })).properties.clr_compliance_score;
    expect(score({})).toBe('100');
    expect(score({ amount: '' })).toBe('88'); // 7/8 = 87.5
    expect(score({ amount: '', closedate: '', clr_win_reason: '' })).toBe('63'); // 5/8 = 62.5
    expect(score(broken, false)).toBe('13'); // 1/8 = 12.5
    expect(evaluate(goodContact('sql', { clr_channel: '', clr_icp_tier: 'A' })).properties.clr_compliance_score).toBe(
      '67',
    ); // 4/6
  });

  it('leaves SLAs and duplicates out', () => {
    const stalled = goodDeal('discovery', { hs_date_entered_appointmentscheduled: '2026-01-01' }, { history: [] });
    expect(evaluate(stalled).findings.map((f) => f.code)).toEqual(['sla_breached:deal_stall']);
    expect(evaluate(stalled).properties.clr_compliance_score).toBe('100');
  });
});

describe('section 8: lists, flags and days', () => {
  it('lists missing fields sorted and joined with ;', () => {
    const deal = goodDeal('closed_won', { clr_win_reason: '', closedate: 'x', amount: '0', clr_product_line: 'Cloud' });
    expect(evaluate(deal).properties.clr_missing_fields).toBe('amount;closedate;clr_win_reason');
  });

  it('lists missing and mismatched join keys on deals and tickets', () => {
    expect(
      evaluate(goodDeal('closed_won', { clr_contract_id: '' }, { associations: [] })).properties.clr_missing_join_keys,
    ).toBe('clr_contract_id;contact');
    expect(evaluate(goodTicket('closed', { clr_contract_id: 'CTR-9' })).properties.clr_missing_join_keys).toBe(
      'clr_contract_id',
    );
  });

  it('writes nothing for an empty value', () => {
    const properties = evaluate(goodDeal('closed_won')).properties;
    expect(properties).toEqual({
      clr_compliance_status: 'compliant',
      clr_compliance_score: '100',
      clr_stage_integrity: 'ok',
      clr_sla_breached: 'false',
      clr_days_in_stage: '6',
    });
  });

  it('writes each property on the objects section 8 lists only', () => {
    const contact = evaluate(goodContact('lead')).properties;
    expect(Object.keys(contact).sort()).toEqual([
      'clr_compliance_score',
      'clr_compliance_status',
      'clr_days_in_stage',
      'clr_sla_breached',
      'clr_stage_integrity',
    ]);
    expect(Object.keys(evaluate(goodTicket('in_delivery', {}, { done: [] })).properties).sort()).toEqual([
      'clr_compliance_score',
      'clr_compliance_status',
      'clr_days_in_stage',
      'clr_handoff_complete',
      'clr_handoff_pct',
      'clr_sla_breached',
      'clr_stage_integrity',
    ]);
  });

  it('leaves the channel properties to attribution', () => {
    const channels = ['clr_first_touch_channel', 'clr_last_touch_channel', 'clr_lead_channel'];
    expect(D.properties.writtenBack.map((p) => p.name)).toEqual(expect.arrayContaining(channels));
    for (const name of channels) expect(HYGIENE_PROPERTY_NAMES).not.toContain(name);
    expect(HYGIENE_PROPERTY_NAMES).toHaveLength(D.properties.writtenBack.length - channels.length);
  });

  it('follows the definitions: a property removed is no longer computed', () => {
    const withoutDays = edited((d) => {
      d.properties.writtenBack = d.properties.writtenBack.filter((p) => p.name !== 'clr_days_in_stage');
    });
    expect(evaluate(goodDeal('closed_won'), withoutDays).properties).not.toHaveProperty('clr_days_in_stage');
  });
});

describe('section 1 and 8: records out of scope', () => {
  it.each([
    ['a contact whose lifecyclestage maps to no stage', record('contact', { lifecyclestage: 'subscriber', email: '' })],
    ['a contact without lifecyclestage', record('contact', { email: '' })],
    ['a deal in another pipeline', goodDeal('discovery', { pipeline: 'renewals', amount: '' }, { associations: [] })],
    ['a ticket in the support pipeline', record('ticket', { hs_pipeline: '0', hs_pipeline_stage: '1' })],
    ['a company', record('company', { domain: 'acme.com' })],
  ])('gets no check and no compliance property: %s', (_, input) => {
    const result = evaluate(input);
    expect(result).toMatchObject({
      inScope: false,
      stage: null,
      findings: [],
      properties: {},
      score: { applicable: 0, passed: 0 },
    });
  });

  it('refuses a now that is no instant, and reads equal instants alike', () => {
    expect(() => evaluate(goodContact('lead'), D, 'yesterday')).toThrow(RangeError);
    expect(evaluate(goodContact('lead'), D, NOW)).toEqual(evaluate(goodContact('lead'), D, '2026-11-01T00:00:00Z'));
  });
});

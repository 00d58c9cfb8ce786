import { describe, expect, it } from 'vitest';
import { stagedRecord, type RecordInput } from '../../../server/domain/hygiene/index.ts';
import { codes, D, evaluate, NOW, record } from './builders.ts';

/** Section 1's entered-at, read through the view every stage rule shares. */
function entered(input: RecordInput): Record<string, string> {
  const view = stagedRecord(input, D, Date.parse(NOW));
  if (view === undefined) throw new Error('out of scope');
  return Object.fromEntries([...view.entered].map(([stage, at]) => [stage, new Date(at).toISOString()]));
}

const T = (day: number, hour = 0) => new Date(Date.UTC(2026, 9, day, hour)).toISOString();

describe('section 1: entered-at', () => {
  it('takes the date-entered property when set, even against the history', () => {
    const contact = record(
      'contact',
      {
        lifecyclestage: 'marketingqualifiedlead',
        hs_lifecyclestage_lead_date: T(5),
        hs_lifecyclestage_marketingqualifiedlead_date: T(9),
      },
      {
        history: [
          ['lead', T(1)],
          ['marketingqualifiedlead', T(7)],
        ],
      },
    );
    expect(entered(contact)).toEqual({ lead: T(5), mql: T(9) });
  });

  it('falls back to the earliest time the history holds the value when the property is empty or unreadable', () => {
    const contact = record(
      'contact',
      {
        lifecyclestage: 'salesqualifiedlead',
        hs_lifecyclestage_lead_date: '',
        hs_lifecyclestage_salesqualifiedlead_date: 'soon',
      },
      {
        history: [
          ['lead', T(1)],
          ['salesqualifiedlead', T(3)],
          ['lead', T(4)],
          ['salesqualifiedlead', T(6)],
        ],
      },
    );
    expect(entered(contact)).toEqual({ lead: T(1), sql: T(3) });
  });

  it('dates a stage by the earliest of its HubSpot values', () => {
    const deal = record(
      'deal',
      { pipeline: 'default', dealstage: 'qualifiedtobuy', hs_date_entered_qualifiedtobuy: T(3) },
      {
        history: [
          ['appointmentscheduled', T(5)],
          ['qualifiedtobuy', T(6)],
        ],
      },
    );
    // appointmentscheduled from the history (5th), qualifiedtobuy from its property (3rd): Discovery on the 3rd.
    expect(entered(deal)).toEqual({ discovery: T(3) });
  });

  it('dates sal by clr_sal_date alone, never by the history of marketingqualifiedlead', () => {
    const history: [string, string][] = [
      ['lead', T(1)],
      ['marketingqualifiedlead', T(2)],
      ['salesqualifiedlead', T(4)],
    ];
    const withoutSal = record('contact', { lifecyclestage: 'salesqualifiedlead' }, { history });
    expect(entered(withoutSal)).toEqual({ lead: T(1), mql: T(2), sql: T(4) });
    expect(codes(withoutSal)).toContain('stage_gap:skipped:sal');

    const withSal = record('contact', { lifecyclestage: 'salesqualifiedlead', clr_sal_date: T(3) }, { history });
    expect(entered(withSal)).toEqual({ lead: T(1), mql: T(2), sal: T(3), sql: T(4) });
    expect(codes(withSal)).not.toContain('stage_gap:skipped:sal');
  });

  it('makes a marketing qualified lead with clr_sal_date a SAL, in stage since that date', () => {
    const contact = record(
      'contact',
      { lifecyclestage: 'marketingqualifiedlead', clr_sal_date: T(3), hs_sa_first_engagement_date: T(2, 1) },
      {
        history: [
          ['lead', T(1)],
          ['marketingqualifiedlead', T(2)],
        ],
      },
    );
    const result = evaluate(contact);
    expect(result.stage).toBe('sal');
    expect(result.properties.clr_days_in_stage).toBe('29'); // 3 Oct → 1 Nov
    expect(evaluate(record('contact', { lifecyclestage: 'marketingqualifiedlead', clr_sal_date: '  ' })).stage).toBe(
      'mql',
    );
  });

  it('reads a deal at closed_lost as entered at discovery and closed_lost only, with no stage skipped', () => {
    const deal = record(
      'deal',
      {
        pipeline: 'default',
        dealstage: 'closedlost',
        amount: '5',
        closedate: T(9),
        clr_product_line: 'security',
        clr_loss_reason: 'price',
      },
      {
        history: [
          ['appointmentscheduled', T(1)],
          ['closedlost', T(9)],
        ],
        associations: [{ objectType: 'contact', id: '1' }],
      },
    );
    expect(entered(deal)).toEqual({ discovery: T(1), closed_lost: T(9) });
    expect(codes(deal)).toEqual([]);
  });

  it('ignores history values that map to no stage, cleared values and values of another pipeline', () => {
    const deal = record(
      'deal',
      { pipeline: 'default', dealstage: 'appointmentscheduled' },
      {
        history: [
          ['1234567', T(1)],
          [null, T(2)],
          ['', T(3)],
          ['appointmentscheduled', T(4)],
        ],
      },
    );
    expect(entered(deal)).toEqual({ discovery: T(4) });
  });

  it('leaves a stage with neither property nor history not entered, and its days in stage empty', () => {
    const ticket = record('ticket', { hs_pipeline: 'delivery', hs_pipeline_stage: 'onboarding', clr_contract_id: 'C' });
    expect(entered(ticket)).toEqual({});
    expect(evaluate(ticket).properties).not.toHaveProperty('clr_days_in_stage');
  });

  it('does not depend on the order the history comes in', () => {
    const history: [string, string][] = [
      ['lead', T(1)],
      ['salesqualifiedlead', T(4)],
      ['marketingqualifiedlead', T(2)],
      ['marketingqualifiedlead', T(5)],
    ];
    const a = record('contact', { lifecyclestage: 'marketingqualifiedlead' }, { history });
    const b = record('contact', { lifecyclestage: 'marketingqualifiedlead' }, { history: [...history].reverse() });
    expect(entered(a)).toEqual({ lead: T(1), mql: T(2), sql: T(4) });
    expect(evaluate(b)).toEqual(evaluate(a));
  });

  it('counts whole days in stage, and none for a stage entered after now', () => {
    const at = (iso: string) =>
      evaluate(record('contact', { lifecyclestage: 'lead', email: 'a@b.c', hs_lifecyclestage_lead_date: iso }))
        .properties.clr_days_in_stage;
    expect(at('2026-10-31T00:00:00.001Z')).toBe('0');
    expect(at('2026-10-31T00:00:00.000Z')).toBe('1');
    expect(at('2026-10-01T12:00:00.000Z')).toBe('30');
    expect(at('2026-11-20T00:00:00.000Z')).toBe('0');
  });
});

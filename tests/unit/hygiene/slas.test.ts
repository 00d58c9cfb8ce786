import { describe, expect, it } from 'vitest';
import type { RecordInput } from '../../../server/domain/hygiene/index.ts';
import { codes, edited, evaluate, goodDeal, goodTicket, NOW, record, type Props } from './builders.ts';

/** Section 6, each SLA on both sides of its limit ("more than" is strict), timed against `now`. */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(ms).toISOString();
const MQL = Date.parse('2026-10-10T00:00:00.000Z');

const slaCodes = (input: RecordInput, now = NOW) =>
  codes(input, undefined, now).filter((c) => c.startsWith('sla_breached:'));

function mqlContact(props: Props): RecordInput {
  return record('contact', {
    lifecyclestage: 'marketingqualifiedlead',
    email: 'a@b.c',
    hs_lifecyclestage_lead_date: '2026-10-01T00:00:00.000Z',
    hs_lifecyclestage_marketingqualifiedlead_date: at(MQL),
    ...props,
  });
}

describe('section 6: lead_follow_up', () => {
  // A SAL within the hour keeps lead_acceptance out of these cases.
  const sal = { clr_sal_date: at(MQL + HOUR) };
  it('is kept by a first engagement within 24 h of mql, exactly 24 h included', () => {
    expect(slaCodes(mqlContact({ ...sal, hs_sa_first_engagement_date: at(MQL + 24 * HOUR) }))).toEqual([]);
  });
  it('is breached by a first engagement later than 24 h after mql, whatever now is', () => {
    expect(slaCodes(mqlContact({ ...sal, hs_sa_first_engagement_date: at(MQL + 24 * HOUR + 1) }))).toEqual([
      'sla_breached:lead_follow_up',
    ]);
  });
  it('is breached with no engagement once now is more than 24 h after mql', () => {
    const contact = mqlContact({ ...sal, hs_sa_first_engagement_date: '' });
    expect(slaCodes(contact, at(MQL + 24 * HOUR))).toEqual([]);
    expect(slaCodes(contact, at(MQL + 24 * HOUR + 1))).toEqual(['sla_breached:lead_follow_up']);
    const finding = evaluate(contact, undefined, at(MQL + 30 * HOUR)).findings.find((f) => f.kind === 'sla_breached')!;
    expect(finding).toMatchObject({ kind: 'sla_breached', severity: 'info' });
    expect(finding.proposedFix).toBe(
      'Lead follow-up SLA breached on contact 101: 30 h since entering MQL (2026-10-10) and `hs_sa_first_engagement_date` is empty; the limit is 24 hours. Act on it now.',
    );
  });
  it('does not apply to a contact that never entered mql', () => {
    const lead = record('contact', {
      lifecyclestage: 'lead',
      email: 'a@b.c',
      hs_lifecyclestage_lead_date: '2025-01-01',
    });
    expect(slaCodes(lead)).toEqual([]);
  });
});

describe('section 6: lead_acceptance', () => {
  const engaged = { hs_sa_first_engagement_date: at(MQL + HOUR) };
  it('is kept by entering sal within 48 h of mql', () => {
    expect(slaCodes(mqlContact({ ...engaged, clr_sal_date: at(MQL + 48 * HOUR) }))).toEqual([]);
  });
  it('is breached by entering sal more than 48 h after mql', () => {
    const late = mqlContact({ ...engaged, clr_sal_date: at(MQL + 48 * HOUR + 1) });
    expect(slaCodes(late)).toEqual(['sla_breached:lead_acceptance']);
    expect(evaluate(late).findings.find((f) => f.kind === 'sla_breached')!.proposedFix).toBe(
      'Lead acceptance SLA breached on contact 101: entering SAL (2026-10-12) came 48 h after entering MQL (2026-10-10); the limit is 48 hours.',
    );
  });
  it('is breached with no sal once now is more than 48 h after mql', () => {
    const contact = mqlContact(engaged);
    expect(slaCodes(contact, at(MQL + 48 * HOUR))).toEqual([]);
    expect(slaCodes(contact, at(MQL + 48 * HOUR + 1))).toEqual(['sla_breached:lead_acceptance']);
  });
  it('is not breached by the clock when mql lies after now (future-dated data)', () => {
    expect(slaCodes(mqlContact({}), at(MQL - DAY))).toEqual([]);
  });
});

describe('section 6: deal_stall', () => {
  const discovery = (entered: number) =>
    goodDeal('discovery', { hs_date_entered_appointmentscheduled: at(entered) }, { history: [] });
  const now = Date.parse(NOW);
  it('is kept within 30 days of entering the current stage, exactly 30 included', () => {
    expect(slaCodes(discovery(now - 30 * DAY))).toEqual([]);
  });
  it('is breached after more than 30 days at discovery, proposal or contract', () => {
    expect(slaCodes(discovery(now - 30 * DAY - 1))).toEqual(['sla_breached:deal_stall']);
    const proposal = goodDeal('proposal', { hs_date_entered_presentationscheduled: '2026-09-01T00:00:00.000Z' });
    expect(slaCodes(proposal)).toEqual(['sla_breached:deal_stall']);
    const contract = goodDeal('contract', { hs_date_entered_contractsent: '2026-09-01T00:00:00.000Z' });
    expect(slaCodes(contract)).toEqual(['sla_breached:deal_stall']);
  });
  it('times the current stage, not the deal', () => {
    // In discovery since August, but in proposal only since 22 October.
    expect(
      slaCodes(goodDeal('proposal', { hs_date_entered_appointmentscheduled: '2026-08-01T00:00:00.000Z' })),
    ).toEqual([]);
  });
  it('does not apply to closed deals', () => {
    const old = '2025-01-01T00:00:00.000Z';
    expect(
      slaCodes(
        goodDeal(
          'closed_won',
          {
            hs_date_entered_closedwon: old,
            hs_date_entered_contractsent: old,
            hs_date_entered_presentationscheduled: old,
            hs_date_entered_appointmentscheduled: old,
          },
          { history: [] },
        ),
      ),
    ).toEqual([]);
    expect(
      slaCodes(
        goodDeal(
          'closed_lost',
          { hs_date_entered_closedlost: old, hs_date_entered_appointmentscheduled: old },
          { history: [] },
        ),
      ),
    ).toEqual([]);
  });
});

describe('section 6: onboarding', () => {
  const ONBOARDING = Date.parse('2026-09-01T00:00:00.000Z');
  const ticket = (stage: string, dates: Props) =>
    goodTicket(
      'onboarding',
      { hs_pipeline_stage: stage, hs_v2_date_entered_onboarding: at(ONBOARDING), ...dates },
      { history: [] },
    );
  it('is kept when the next stage is entered within 14 days', () => {
    expect(slaCodes(ticket('in_delivery', { hs_v2_date_entered_in_delivery: at(ONBOARDING + 14 * DAY) }))).toEqual([]);
  });
  it('is breached when the next stage is entered more than 14 days after', () => {
    expect(slaCodes(ticket('in_delivery', { hs_v2_date_entered_in_delivery: at(ONBOARDING + 14 * DAY + 1) }))).toEqual([
      'sla_breached:onboarding',
    ]);
  });
  it('takes the earliest entered-at among the later stages as the next stage', () => {
    const skippedToReview = ticket('results_review', {
      hs_v2_date_entered_results_review: at(ONBOARDING + 10 * DAY),
      hs_v2_date_entered_closed: at(ONBOARDING + 20 * DAY),
    });
    expect(slaCodes(skippedToReview)).toEqual([]);
  });
  it('is breached when no later stage was entered and now is more than 14 days after', () => {
    expect(slaCodes(ticket('onboarding', {}), at(ONBOARDING + 14 * DAY))).toEqual([]);
    expect(slaCodes(ticket('onboarding', {}), at(ONBOARDING + 14 * DAY + 1))).toEqual(['sla_breached:onboarding']);
  });
});

describe('SLAs as definitions', () => {
  it('follows an admin changing a threshold', () => {
    const twoDays = edited((d) => {
      d.slas.find((s) => s.id === 'lead_follow_up')!.threshold = { value: 2, unit: 'days' };
    });
    const contact = mqlContact({ clr_sal_date: at(MQL + HOUR), hs_sa_first_engagement_date: at(MQL + 30 * HOUR) });
    expect(slaCodes(contact)).toEqual(['sla_breached:lead_follow_up']);
    expect(codes(contact, twoDays).filter((c) => c.startsWith('sla_'))).toEqual([]);
  });

  it('sets clr_sla_breached when any SLA is breached', () => {
    expect(evaluate(mqlContact({ clr_sal_date: at(MQL + HOUR) })).properties.clr_sla_breached).toBe('true');
    expect(
      evaluate(mqlContact({ clr_sal_date: at(MQL + HOUR), hs_sa_first_engagement_date: at(MQL) })).properties
        .clr_sla_breached,
    ).toBe('false');
  });
});

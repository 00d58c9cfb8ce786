import { describe, expect, it } from 'vitest';
import {
  addedCodes,
  codes,
  edited,
  evaluate,
  goodContact,
  goodDeal,
  goodTicket,
  record,
  type Props,
} from './builders.ts';

/** Section 4, the three stage-integrity rows and the one scored check they make together. */
const T = (day: number) => new Date(Date.UTC(2026, 9, day)).toISOString();

const contact = (lifecyclestage: string, history: [string, string][], props: Props = {}) =>
  record('contact', { lifecyclestage, email: 'a@b.c', ...props }, { history });
const deal = (dealstage: string, history: [string, string][], props: Props = {}) =>
  record('deal', { pipeline: 'default', dealstage, ...props }, { history });
const gaps = (input: Parameters<typeof codes>[0]) => codes(input).filter((code) => code.startsWith('stage_gap:'));

describe('section 4: no skipped stage', () => {
  it('passes when every earlier stage was entered', () => {
    for (const input of [
      goodContact('customer'),
      goodDeal('closed_won'),
      goodDeal('closed_lost'),
      goodTicket('closed'),
    ])
      expect(gaps(input)).toEqual([]);
  });

  it('finds one gap per stage not entered', () => {
    const customer = contact(
      'customer',
      [
        ['lead', T(1)],
        ['salesqualifiedlead', T(3)],
        ['customer', T(5)],
      ],
      { clr_sal_date: T(2) },
    );
    expect(gaps(customer)).toEqual(['stage_gap:skipped:mql', 'stage_gap:skipped:opportunity']);
    expect(
      gaps(
        deal('closedwon', [
          ['appointmentscheduled', T(1)],
          ['contractsent', T(2)],
          ['closedwon', T(3)],
        ]),
      ),
    ).toEqual(['stage_gap:skipped:proposal']);
    const ticket = goodTicket(
      'closed',
      { hs_v2_date_entered_in_delivery: null },
      {
        history: [
          ['onboarding', T(20)],
          ['closed', T(30)],
        ],
      },
    );
    expect(gaps(ticket)).toEqual(['stage_gap:skipped:in_delivery']);
  });

  it('expects sal only from sql on', () => {
    expect(
      gaps(
        contact('marketingqualifiedlead', [
          ['lead', T(1)],
          ['marketingqualifiedlead', T(2)],
        ]),
      ),
    ).toEqual([]);
    expect(
      gaps(
        contact('salesqualifiedlead', [
          ['lead', T(1)],
          ['marketingqualifiedlead', T(2)],
          ['salesqualifiedlead', T(3)],
        ]),
      ),
    ).toEqual(['stage_gap:skipped:sal']);
  });

  it('expects only discovery before closed_lost', () => {
    expect(gaps(deal('closedlost', [['closedlost', T(3)]]))).toEqual(['stage_gap:skipped:discovery']);
    expect(
      gaps(
        deal('closedlost', [
          ['qualifiedtobuy', T(1)],
          ['closedlost', T(3)],
        ]),
      ),
    ).toEqual([]);
  });

  it('says what to do in the fix', () => {
    const finding = evaluate(
      contact('salesqualifiedlead', [
        ['lead', T(1)],
        ['marketingqualifiedlead', T(2)],
        ['salesqualifiedlead', T(3)],
      ]),
    ).findings.find((f) => f.code === 'stage_gap:skipped:sal')!;
    expect(finding).toMatchObject({ kind: 'stage_gap', severity: 'error' });
    expect(finding.field).toBeUndefined();
    expect(finding.proposedFix).toBe(
      'Contact 101 is at SQL but never entered SAL: set `clr_sal_date` to when it did, or correct its stage.',
    );
  });
});

describe('section 4: no backward move', () => {
  it('passes on a history that only moves forward', () => {
    expect(
      gaps(
        contact(
          'customer',
          [
            ['lead', T(1)],
            ['marketingqualifiedlead', T(2)],
            ['salesqualifiedlead', T(3)],
            ['opportunity', T(4)],
            ['customer', T(5)],
          ],
          { clr_sal_date: T(2) },
        ),
      ),
    ).toEqual([]);
  });

  it('finds a move to an earlier stage, comparing each value with the one before it', () => {
    const moved = contact(
      'marketingqualifiedlead',
      [
        ['lead', T(1)],
        ['marketingqualifiedlead', T(2)],
        ['salesqualifiedlead', T(4)],
        ['marketingqualifiedlead', T(6)],
      ],
      { clr_sal_date: T(3) },
    );
    // The history value marketingqualifiedlead is mql, whatever clr_sal_date says.
    expect(gaps(moved)).toEqual(['stage_gap:backward:sql>mql']);
    const finding = evaluate(moved).findings.find((f) => f.kind === 'stage_gap')!;
    expect(finding.facts).toEqual({ check: 'backward', from: 'sql', to: 'mql', at: T(6) });
  });

  it('reports each distinct pair once', () => {
    const history: [string, string][] = [
      ['lead', T(1)],
      ['salesqualifiedlead', T(2)],
      ['lead', T(3)],
      ['salesqualifiedlead', T(4)],
      ['lead', T(5)],
      ['customer', T(6)],
      ['opportunity', T(7)],
    ];
    const flapping = contact('opportunity', history, {
      hs_lifecyclestage_marketingqualifiedlead_date: T(1),
      hs_lifecyclestage_opportunity_date: T(5),
      clr_sal_date: T(1),
    });
    expect(gaps(flapping)).toEqual(['stage_gap:backward:customer>opportunity', 'stage_gap:backward:sql>lead']);
  });

  it('does not count values of one stage as moves', () => {
    expect(
      gaps(
        deal('appointmentscheduled', [
          ['qualifiedtobuy', T(1)],
          ['appointmentscheduled', T(2)],
          ['qualifiedtobuy', T(3)],
          ['appointmentscheduled', T(4)],
        ]),
      ),
    ).toEqual([]);
    expect(
      gaps(
        deal('presentationscheduled', [
          ['appointmentscheduled', T(1)],
          ['decisionmakerboughtin', T(2)],
          ['presentationscheduled', T(3)],
        ]),
      ),
    ).toEqual([]);
  });

  it('does not count closed_won ↔ closed_lost as moves', () => {
    const history: [string, string][] = [
      ['appointmentscheduled', T(1)],
      ['presentationscheduled', T(2)],
      ['contractsent', T(3)],
      ['closedwon', T(4)],
      ['closedlost', T(5)],
      ['closedwon', T(6)],
    ];
    expect(gaps(deal('closedwon', history))).toEqual([]);
    expect(gaps(deal('closedlost', history.slice(0, 5)))).toEqual([]);
  });

  it('skips values that map to no stage, and counts a move across them', () => {
    expect(
      gaps(
        contact('lead', [
          ['lead', T(1)],
          ['other', T(2)],
          ['lead', T(3)],
        ]),
      ),
    ).toEqual([]);
    const across = contact('lead', [
      ['lead', T(1)],
      ['marketingqualifiedlead', T(2)],
      ['evangelist', T(3)],
      ['lead', T(4)],
    ]);
    expect(gaps(across)).toEqual(['stage_gap:backward:mql>lead']);
  });

  it('reads entries at the same instant in stage order, never as a move back', () => {
    expect(
      gaps(
        contact('marketingqualifiedlead', [
          ['marketingqualifiedlead', T(2)],
          ['lead', T(2)],
        ]),
      ),
    ).toEqual([]);
  });
});

describe('section 4: timestamps in order', () => {
  it('passes when each stage was entered no earlier than the one before it (ties allowed)', () => {
    expect(
      gaps(
        goodContact('customer', {
          hs_lifecyclestage_customer_date: goodContact('customer').properties.hs_lifecyclestage_opportunity_date!,
        }),
      ),
    ).toEqual([]);
  });

  it('finds a stage entered before its nearest earlier entered stage', () => {
    expect(
      addedCodes(goodContact('mql'), goodContact('mql', { hs_lifecyclestage_lead_date: '2026-10-03T00:00:00.000Z' })),
    ).toEqual(['stage_gap:out_of_order:mql']);
    // sql's nearest earlier entered stage is sal (clr_sal_date) when entered…
    expect(
      addedCodes(
        goodContact('sql'),
        goodContact('sql', { hs_lifecyclestage_salesqualifiedlead_date: '2026-10-02T12:00:00.000Z' }),
      ),
    ).toEqual(['stage_gap:out_of_order:sql']);
  });

  it('skips stages not entered to find the nearest', () => {
    // …and mql when sal was not entered: sql on the 1st is before mql on the 2nd.
    const contactWithoutSal = contact('salesqualifiedlead', [], {
      hs_lifecyclestage_lead_date: T(1),
      hs_lifecyclestage_marketingqualifiedlead_date: T(2),
      hs_lifecyclestage_salesqualifiedlead_date: T(1),
    });
    expect(gaps(contactWithoutSal)).toEqual(['stage_gap:out_of_order:sql', 'stage_gap:skipped:sal']);
  });

  it('compares closed_lost with discovery only', () => {
    const lostAfterProposal = deal('closedlost', [
      ['appointmentscheduled', T(1)],
      ['presentationscheduled', T(5)],
      ['closedlost', T(3)],
    ]);
    expect(gaps(lostAfterProposal)).toEqual([]);
    expect(gaps(deal('closedlost', [['closedlost', T(3)]], { hs_date_entered_appointmentscheduled: T(4) }))).toEqual([
      'stage_gap:out_of_order:closed_lost',
    ]);
    expect(
      addedCodes(
        goodDeal('closed_won'),
        goodDeal('closed_won', { hs_date_entered_closedwon: '2026-10-23T00:00:00.000Z' }),
      ),
    ).toEqual(['stage_gap:out_of_order:closed_won']);
  });

  it('names both dates in the fix', () => {
    const finding = evaluate(
      goodContact('mql', { hs_lifecyclestage_lead_date: '2026-10-03T00:00:00.000Z' }),
    ).findings.find((f) => f.code === 'stage_gap:out_of_order:mql')!;
    expect(finding.proposedFix).toBe(
      'Contact 101 entered MQL on 2026-10-02, before Lead on 2026-10-03: correct the stage dates.',
    );
  });
});

describe('stage integrity as one scored check and clr_stage_integrity', () => {
  const skippedAndBackward = contact('salesqualifiedlead', [
    ['lead', T(1)],
    ['marketingqualifiedlead', T(2)],
    ['salesqualifiedlead', T(3)],
    ['lead', T(4)],
    ['salesqualifiedlead', T(5)],
  ]);
  const backwardAndOutOfOrder = contact(
    'marketingqualifiedlead',
    [
      ['lead', T(3)],
      ['marketingqualifiedlead', T(4)],
      ['lead', T(5)],
      ['marketingqualifiedlead', T(6)],
    ],
    {
      hs_lifecyclestage_marketingqualifiedlead_date: T(1),
    },
  );

  it('reports the first kind present: skipped, then backward, then out of order', () => {
    expect(gaps(skippedAndBackward)).toEqual(['stage_gap:backward:sql>lead', 'stage_gap:skipped:sal']);
    expect(evaluate(skippedAndBackward).properties.clr_stage_integrity).toBe('skipped_stage');
    expect(gaps(backwardAndOutOfOrder)).toEqual(['stage_gap:backward:mql>lead', 'stage_gap:out_of_order:mql']);
    expect(evaluate(backwardAndOutOfOrder).properties.clr_stage_integrity).toBe('backward_move');
    expect(evaluate(goodContact('mql', { hs_lifecyclestage_lead_date: T(3) })).properties.clr_stage_integrity).toBe(
      'out_of_order',
    );
    expect(evaluate(goodContact('mql')).properties.clr_stage_integrity).toBe('ok');
  });

  it('fails one check however many gaps there are', () => {
    // email + stage integrity (lead rows only apply at lead… this contact is at sql: 5 rows + 1).
    expect(evaluate(skippedAndBackward).score).toEqual({ applicable: 6, passed: 1 });
  });

  it('follows the checks the admin enables, in their order', () => {
    const backwardOnly = edited((d) => {
      d.stageIntegrity.checks = ['backward'];
    });
    expect(gaps({ ...skippedAndBackward })).toContain('stage_gap:skipped:sal');
    expect(codes(skippedAndBackward, backwardOnly).filter((c) => c.startsWith('stage_gap'))).toEqual([
      'stage_gap:backward:sql>lead',
    ]);
    const none = edited((d) => {
      d.stageIntegrity.checks = [];
    });
    const result = evaluate(skippedAndBackward, none);
    expect(result.findings.filter((f) => f.kind === 'stage_gap')).toEqual([]);
    expect(result.properties.clr_stage_integrity).toBe('ok');
    expect(result.score.applicable).toBe(5);
  });
});

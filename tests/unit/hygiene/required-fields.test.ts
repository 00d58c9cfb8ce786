import { describe, expect, it } from 'vitest';
import type { RecordInput } from '../../../server/domain/hygiene/index.ts';
import { addedCodes, evaluate, goodContact, goodDeal, goodTicket, HANDOFF_ITEMS } from './builders.ts';

/**
 * Section 2, row by row: each row has a record it applies to and passes, the same record failing
 * it, and (where the row's stage makes it interesting) a record it does not apply to.
 */
type Case = { name: string; base: RecordInput; broken: RecordInput; expected: string[] };

const rows: { row: string; cases: Case[] }[] = [
  {
    row: 'contact | lead | email | non-empty',
    cases: [
      {
        name: 'empty',
        base: goodContact('lead'),
        broken: goodContact('lead', { email: '' }),
        expected: ['missing_field:email'],
      },
      {
        name: 'white space only',
        base: goodContact('lead'),
        broken: goodContact('lead', { email: ' \t ' }),
        expected: ['missing_field:email'],
      },
      {
        name: 'absent (null)',
        base: goodContact('customer'),
        broken: goodContact('customer', { email: null }),
        expected: ['missing_field:email'],
      },
    ],
  },
  {
    row: 'contact | mql | clr_channel | picklist channel',
    cases: [
      {
        name: 'empty at mql',
        base: goodContact('mql'),
        broken: goodContact('mql', { clr_channel: '' }),
        expected: ['missing_field:clr_channel'],
      },
      {
        name: 'not an option',
        base: goodContact('sql'),
        broken: goodContact('sql', { clr_channel: 'LinkedIn' }),
        expected: ['invalid_value:clr_channel'],
      },
      {
        name: 'not applicable at lead',
        base: goodContact('lead'),
        broken: goodContact('lead', { clr_channel: 'LinkedIn' }),
        expected: [],
      },
    ],
  },
  {
    row: 'contact | mql | clr_offer_id | non-empty',
    cases: [
      {
        name: 'empty at sal',
        base: goodContact('sal'),
        broken: goodContact('sal', { clr_offer_id: '  ' }),
        expected: ['missing_field:clr_offer_id'],
      },
      {
        name: 'not applicable at lead',
        base: goodContact('lead'),
        broken: goodContact('lead', { clr_offer_id: null }),
        expected: [],
      },
    ],
  },
  {
    row: 'contact | mql | clr_icp_tier | picklist icp_tier',
    cases: [
      {
        name: 'empty',
        base: goodContact('opportunity'),
        broken: goodContact('opportunity', { clr_icp_tier: null }),
        expected: ['missing_field:clr_icp_tier'],
      },
      {
        name: 'not an option',
        base: goodContact('mql'),
        broken: goodContact('mql', { clr_icp_tier: 'A' }),
        expected: ['invalid_value:clr_icp_tier'],
      },
    ],
  },
  {
    row: 'contact | sql | clr_product_line | picklist product_line',
    cases: [
      {
        name: 'empty at sql',
        base: goodContact('sql'),
        broken: goodContact('sql', { clr_product_line: '' }),
        expected: ['missing_field:clr_product_line'],
      },
      {
        name: 'not an option at customer',
        base: goodContact('customer'),
        broken: goodContact('customer', { clr_product_line: 'Cloud' }),
        expected: ['invalid_value:clr_product_line'],
      },
      // sal comes before sql, so a SAL need not have a product line yet.
      {
        name: 'not applicable at sal',
        base: goodContact('sal'),
        broken: goodContact('sal', { clr_product_line: '' }),
        expected: [],
      },
    ],
  },
  {
    row: 'deal | discovery | amount | a number > 0',
    cases: [
      {
        name: 'empty',
        base: goodDeal('discovery'),
        broken: goodDeal('discovery', { amount: '' }),
        expected: ['missing_field:amount'],
      },
      {
        name: 'zero',
        base: goodDeal('proposal'),
        broken: goodDeal('proposal', { amount: '0' }),
        expected: ['missing_field:amount'],
      },
      {
        name: 'negative',
        base: goodDeal('contract'),
        broken: goodDeal('contract', { amount: '-10' }),
        expected: ['missing_field:amount'],
      },
      {
        name: 'not a number',
        base: goodDeal('closed_won'),
        broken: goodDeal('closed_won', { amount: '1,000' }),
        expected: ['missing_field:amount'],
      },
      // Discovery rows apply to Closed Lost deals: closed_lost comes after discovery.
      {
        name: 'on a lost deal',
        base: goodDeal('closed_lost'),
        broken: goodDeal('closed_lost', { amount: null }),
        expected: ['missing_field:amount'],
      },
    ],
  },
  {
    row: 'deal | discovery | closedate | a date',
    cases: [
      {
        name: 'empty',
        base: goodDeal('discovery'),
        broken: goodDeal('discovery', { closedate: null }),
        expected: ['missing_field:closedate'],
      },
      {
        name: 'not a date',
        base: goodDeal('closed_lost'),
        broken: goodDeal('closed_lost', { closedate: 'next week' }),
        expected: ['missing_field:closedate'],
      },
      {
        name: 'not on the calendar',
        base: goodDeal('proposal'),
        broken: goodDeal('proposal', { closedate: '2026-02-30' }),
        expected: ['missing_field:closedate'],
      },
    ],
  },
  {
    row: 'deal | discovery | clr_product_line | picklist product_line',
    cases: [
      {
        name: 'empty',
        base: goodDeal('discovery'),
        broken: goodDeal('discovery', { clr_product_line: '' }),
        expected: ['missing_field:clr_product_line'],
      },
      {
        name: 'not an option',
        base: goodDeal('closed_lost'),
        broken: goodDeal('closed_lost', { clr_product_line: 'Cloud' }),
        expected: ['invalid_value:clr_product_line'],
      },
    ],
  },
  {
    row: 'deal | proposal | clr_sla_scope | non-empty',
    cases: [
      {
        name: 'empty at proposal',
        base: goodDeal('proposal'),
        broken: goodDeal('proposal', { clr_sla_scope: ' ' }),
        expected: ['missing_field:clr_sla_scope'],
      },
      {
        name: 'empty at closed_won',
        base: goodDeal('closed_won'),
        broken: goodDeal('closed_won', { clr_sla_scope: null }),
        expected: ['missing_field:clr_sla_scope'],
      },
      {
        name: 'not applicable at discovery',
        base: goodDeal('discovery'),
        broken: goodDeal('discovery', { clr_sla_scope: null }),
        expected: [],
      },
      // closed_lost is after discovery only, not after proposal.
      {
        name: 'not applicable at closed_lost',
        base: goodDeal('closed_lost'),
        broken: goodDeal('closed_lost', { clr_sla_scope: null }),
        expected: [],
      },
    ],
  },
  {
    row: 'deal | closed_won only | clr_win_reason | picklist win_reason',
    cases: [
      {
        name: 'empty at closed_won',
        base: goodDeal('closed_won'),
        broken: goodDeal('closed_won', { clr_win_reason: null }),
        expected: ['missing_field:clr_win_reason'],
      },
      {
        name: 'not an option',
        base: goodDeal('closed_won'),
        broken: goodDeal('closed_won', { clr_win_reason: 'Price' }),
        expected: ['invalid_value:clr_win_reason'],
      },
      {
        name: 'not applicable at contract',
        base: goodDeal('contract'),
        broken: goodDeal('contract', { clr_win_reason: null }),
        expected: [],
      },
      {
        name: 'not applicable at closed_lost',
        base: goodDeal('closed_lost'),
        broken: goodDeal('closed_lost', { clr_win_reason: 'junk' }),
        expected: [],
      },
    ],
  },
  {
    row: 'deal | closed_lost only | clr_loss_reason | picklist loss_reason',
    cases: [
      {
        name: 'empty at closed_lost',
        base: goodDeal('closed_lost'),
        broken: goodDeal('closed_lost', { clr_loss_reason: '' }),
        expected: ['missing_field:clr_loss_reason'],
      },
      {
        name: 'not an option',
        base: goodDeal('closed_lost'),
        broken: goodDeal('closed_lost', { clr_loss_reason: 'budget' }),
        expected: ['invalid_value:clr_loss_reason'],
      },
      {
        name: 'not applicable at closed_won',
        base: goodDeal('closed_won'),
        broken: goodDeal('closed_won', { clr_loss_reason: null }),
        expected: [],
      },
    ],
  },
  {
    row: 'ticket | onboarding | clr_contract_id | non-empty',
    cases: [
      // An empty contract id also switches off "delivery matches its contract", which needs one to compare.
      {
        name: 'empty',
        base: goodTicket('onboarding'),
        broken: goodTicket('onboarding', { clr_contract_id: '' }),
        expected: ['missing_field:clr_contract_id'],
      },
      {
        name: 'empty at closed',
        base: goodTicket('closed'),
        broken: goodTicket('closed', { clr_contract_id: null }),
        expected: ['missing_field:clr_contract_id'],
      },
    ],
  },
  {
    row: 'ticket | in_delivery | handoff checklist | every item done',
    cases: [
      {
        name: 'nothing done at in_delivery',
        base: goodTicket('in_delivery'),
        broken: goodTicket('in_delivery', {}, { done: [] }),
        expected: ['checklist_incomplete'],
      },
      {
        name: 'one item left at results_review',
        base: goodTicket('results_review'),
        broken: goodTicket('results_review', {}, { done: HANDOFF_ITEMS.slice(1) }),
        expected: ['checklist_incomplete'],
      },
      {
        name: 'not applicable at onboarding',
        base: goodTicket('onboarding'),
        broken: goodTicket('onboarding', {}, { done: [] }),
        expected: [],
      },
    ],
  },
  {
    row: 'ticket | onboarding, only when set | clr_change_request_reason | picklist change_request_reason',
    cases: [
      {
        name: 'set to a non-option',
        base: goodTicket('onboarding'),
        broken: goodTicket('onboarding', { clr_change_request_reason: 'scope creep' }),
        expected: ['invalid_value:clr_change_request_reason'],
      },
      {
        name: 'set to an option',
        base: goodTicket('in_delivery'),
        broken: goodTicket('in_delivery', { clr_change_request_reason: 'defect' }),
        expected: [],
      },
      {
        name: 'empty: the row does not apply, so it is never missing',
        base: goodTicket('closed'),
        broken: goodTicket('closed', { clr_change_request_reason: '  ' }),
        expected: [],
      },
    ],
  },
];

describe('section 2: the minimum data standard', () => {
  for (const { row, cases } of rows)
    describe(row, () => {
      it.each(cases)('$name', ({ base, broken, expected }) => {
        expect(evaluate(base).findings.filter((f) => f.kind !== 'sla_breached')).toEqual([]);
        expect(addedCodes(base, broken)).toEqual(expected);
      });
    });

  it('names the field and proposes a fix that says why it is required', () => {
    const finding = evaluate(goodDeal('closed_won', { amount: '' })).findings[0]!;
    expect(finding).toMatchObject({
      code: 'missing_field:amount',
      field: 'amount',
      kind: 'missing_field',
      severity: 'warning',
    });
    expect(finding.proposedFix).toBe(
      'Set `amount` on deal 101 to a number greater than 0 — required from Discovery; the deal reached Discovery on 2026-10-20.',
    );
  });

  it('counts each applicable row once in the score, the only-when-set row only when set', () => {
    // Onboarding ticket: clr_contract_id, delivery has an origin, delivery matches its contract, stage integrity.
    expect(evaluate(goodTicket('onboarding')).score).toEqual({ applicable: 4, passed: 4 });
    expect(evaluate(goodTicket('onboarding', { clr_change_request_reason: 'defect' })).score).toEqual({
      applicable: 5,
      passed: 5,
    });
    // Closed Won deal: 3 discovery rows, sla scope, win reason, buyer, contract id, stage integrity.
    expect(evaluate(goodDeal('closed_won', { amount: '0', clr_win_reason: 'x' })).score).toEqual({
      applicable: 8,
      passed: 6,
    });
  });

  it('reads amounts with decimals and dates as HubSpot writes them', () => {
    expect(
      addedCodes(goodDeal('discovery'), goodDeal('discovery', { amount: '0.01', closedate: '2026-12-01' })),
    ).toEqual([]);
    expect(addedCodes(goodDeal('discovery'), goodDeal('discovery', { closedate: '1793577600000' }))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { funnel, kpis, percentile } from '../../../server/domain/metrics/index.ts';

const DAY = 86_400_000;
const at = (days: number) => days * DAY;

describe('funnel', () => {
  it('counts entries, converts step by step and cumulatively, and times each move', () => {
    const records = [
      new Map([
        ['a', at(0)],
        ['b', at(2)],
        ['c', at(10)],
      ]),
      new Map([
        ['a', at(0)],
        ['b', at(4)],
      ]),
      new Map([['a', at(0)]]),
      // Skipped b: its a→c move counts towards a's velocity, not b's.
      new Map([
        ['a', at(0)],
        ['c', at(6)],
      ]),
    ];
    expect(funnel(['a', 'b', 'c'], records)).toEqual([
      { stage: 'a', entered: 4, nextStepConversion: 0.5, cumulativeConversion: 1, medianDays: 4, p75Days: 6 },
      { stage: 'b', entered: 2, nextStepConversion: 1, cumulativeConversion: 0.5, medianDays: 8, p75Days: 8 },
      { stage: 'c', entered: 2, nextStepConversion: null, cumulativeConversion: 0.5, medianDays: null, p75Days: null },
    ]);
  });

  it('has no conversion without a base', () => {
    expect(funnel(['a', 'b'], [])[0]).toMatchObject({
      entered: 0,
      nextStepConversion: null,
      cumulativeConversion: null,
    });
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
  });
});

describe('kpis', () => {
  it('derives completeness, duplicates, integrity, SLA compliance and trackable share from findings', () => {
    const result = kpis(
      [
        {
          objectType: 'deal',
          inScope: true,
          codes: ['missing_field:amount'],
          duplicateKeyed: false,
          slas: [{ sla: 'proposal_to_decision', breached: false }],
          ownerId: '501',
        },
        {
          objectType: 'deal',
          inScope: true,
          codes: ['stage_gap:skipped:proposal', 'sla_breached:proposal_to_decision'],
          duplicateKeyed: false,
          slas: [{ sla: 'proposal_to_decision', breached: true }],
          ownerId: '501',
        },
        { objectType: 'deal', inScope: false, codes: [], duplicateKeyed: false, slas: [] },
        {
          objectType: 'contact',
          inScope: true,
          codes: ['duplicate:7'],
          duplicateKeyed: true,
          slas: [{ sla: 'mql_to_sal', breached: false }],
        },
        { objectType: 'contact', inScope: true, codes: [], duplicateKeyed: true, slas: [] },
      ],
      { total: 8, trackable: 6 },
      ['mql_to_sal', 'proposal_to_decision', 'onboarding'],
    );
    expect(result).toEqual({
      completeness: { contact: 1, deal: 0.5 },
      duplicateRate: 0.5,
      stageConversionIntegrity: { contact: 1, deal: 0.5 },
      trackableTouchShare: 0.75,
      // Onboarding started on no record: no base, no number.
      slaCompliance: { mql_to_sal: 1, proposal_to_decision: 0.5, onboarding: null },
      findingsByCode: {
        'duplicate:7': 1,
        'missing_field:amount': 1,
        'sla_breached:proposal_to_decision': 1,
        'stage_gap:skipped:proposal': 1,
      },
      findingsByOwner: { '501': 3, unowned: 1 },
    });
  });
});

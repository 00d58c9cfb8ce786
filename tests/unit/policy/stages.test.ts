import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  currentStage,
  dateEnteredPropertyOf,
  DEFAULT_DEFINITIONS,
  isInScope,
  pipelineOf,
  stageOfHistoryValue,
  stageOrder,
  valuesOfStage,
  type Lifecycle,
} from '../../../server/domain/policy/index.ts';

const { contact, deal, ticket } = DEFAULT_DEFINITIONS.stages;

describe('stageOrder', () => {
  it('is a strict partial order for any set of chains taken from one ranking', () => {
    // Chains drawn as increasing subsequences of a ranking can never form a cycle.
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const chain = fc.subarray(ids, { minLength: 1 });
    fc.assert(
      fc.property(fc.array(chain, { minLength: 1, maxLength: 4 }), (order) => {
        const o = stageOrder({ stages: ids.map((id) => ({ id })), order });
        expect(o.cyclic).toEqual([]);
        for (const a of ids) {
          expect(o.isEarlier(a, a)).toBe(false);
          for (const b of ids) {
            if (o.isEarlier(a, b)) expect(o.isEarlier(b, a)).toBe(false);
            for (const c of ids) if (o.isEarlier(a, b) && o.isEarlier(b, c)) expect(o.isEarlier(a, c)).toBe(true);
          }
          for (const b of o.earlier(a)) expect(o.later(b)).toContain(a);
        }
      }),
    );
  });

  it('finds the stages of a cycle', () => {
    const o = stageOrder({ stages: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], order: [['a', 'b'], ['b', 'a'], ['c']] });
    expect(o.cyclic).toEqual(['a', 'b']);
  });

  it('names the nearest predecessors of a stage in its chains', () => {
    const o = stageOrder(deal);
    expect(o.directlyEarlier('closed_lost')).toEqual(['discovery']);
    expect(o.directlyEarlier('closed_won')).toEqual(['contract']);
    expect(o.directlyEarlier('discovery')).toEqual([]);
  });

  it('treats closed_won and closed_lost as unordered, so neither is a move backward from the other', () => {
    const o = stageOrder(deal);
    expect(o.isEarlier('closed_won', 'closed_lost')).toBe(false);
    expect(o.isEarlier('closed_lost', 'closed_won')).toBe(false);
    expect(o.isEarlier('discovery', 'closed_lost')).toBe(true);
  });
});

describe('reading a record', () => {
  it('maps every HubSpot value of a pipeline to its stage', () => {
    const expected: Record<string, string> = {
      appointmentscheduled: 'discovery',
      qualifiedtobuy: 'discovery',
      presentationscheduled: 'proposal',
      decisionmakerboughtin: 'proposal',
      contractsent: 'contract',
      closedwon: 'closed_won',
      closedlost: 'closed_lost',
    };
    for (const [dealstage, stage] of Object.entries(expected))
      expect(currentStage(deal, { pipeline: 'default', dealstage })).toBe(stage);
  });

  it('leaves a record without a stage value, or with an unmapped one, out of scope', () => {
    expect(isInScope(contact, {})).toBe(false);
    expect(isInScope(contact, { lifecyclestage: null })).toBe(false);
    expect(isInScope(contact, { lifecyclestage: 'Lead' })).toBe(false);
    expect(isInScope(deal, { pipeline: 'default', dealstage: 'negotiation' })).toBe(false);
    expect(isInScope(ticket, { hs_pipeline_stage: 'onboarding' })).toBe(false);
    expect(pipelineOf(ticket, { hs_pipeline: 'delivery' })?.id).toBe('delivery');
  });

  it('reads the history value marketingqualifiedlead as mql, whatever clr_sal_date says now', () => {
    const mapping = contact.pipelines[0]!;
    expect(stageOfHistoryValue(contact, mapping, 'marketingqualifiedlead')).toBe('mql');
    expect(stageOfHistoryValue(contact, mapping, 'subscriber')).toBeUndefined();
  });

  it('names the date-entered property of each HubSpot value', () => {
    expect(dateEnteredPropertyOf(contact, 'lead')).toBe('hs_lifecyclestage_lead_date');
    expect(dateEnteredPropertyOf(deal, 'qualifiedtobuy')).toBe('hs_date_entered_qualifiedtobuy');
    expect(dateEnteredPropertyOf(ticket, 'in_delivery')).toBe('hs_v2_date_entered_in_delivery');
    expect(valuesOfStage(deal.pipelines[0]!, 'proposal')).toEqual(['presentationscheduled', 'decisionmakerboughtin']);
    expect(valuesOfStage(deal.pipelines[0]!, 'constructor')).toEqual([]);
  });

  it('follows an admin mapping of a custom pipeline with numeric stage ids', () => {
    const custom: Lifecycle = {
      ...deal,
      pipelines: [
        ...deal.pipelines,
        { id: '7001', values: { discovery: ['101'], proposal: ['102'], closed_won: ['104'], closed_lost: ['105'] } },
      ],
    };
    expect(currentStage(custom, { pipeline: '7001', dealstage: '102' })).toBe('proposal');
    expect(currentStage(custom, { pipeline: '7001', dealstage: 'presentationscheduled' })).toBeUndefined();
    expect(currentStage(custom, { pipeline: 'default', dealstage: '102' })).toBeUndefined();
  });
});

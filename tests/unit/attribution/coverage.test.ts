import { describe, expect, it } from 'vitest';
import { coverage, coverageOfDeals, createAttributionEngine } from '../../../server/domain/attribution/index.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/index.ts';
import { day, scenario, touch } from './scenario.ts';

describe('coverage', () => {
  it('counts credited deals, and their cents, with at least one trackable touch', () => {
    const tracked = touch('t', '1', day(0));
    const untracked = touch('u', '1', day(0), { trackable: false, channel: 'other' });
    // Covered: 1000 and 3000 (2 of 4 deals, 4000 of 10000 cents).
    expect(
      coverage([
        { cents: 1000, touches: [untracked, tracked] },
        { cents: 2000, touches: [untracked] },
        { cents: 3000, touches: [tracked] },
        { cents: 4000, touches: [] },
      ]),
    ).toEqual({
      deals: { covered: 2, total: 4, ratio: 0.5 },
      amountCents: { covered: 4000, total: 10000, ratio: 0.4 },
    });
    expect(coverage([])).toEqual({
      deals: { covered: 0, total: 0, ratio: null },
      amountCents: { covered: 0, total: 0, ratio: null },
    });
  });

  it('over deals: only those credited with the kind, with their deal touches for its moment', () => {
    const s = scenario({
      amount: '10',
      createdDay: 5,
      closedDay: 20,
      stage: 'closed_won',
      contacts: [{ id: '1', createdDay: 0 }],
      touches: [touch('late', '1', day(10))], // after createdate: revenue only
    });
    const engine = createAttributionEngine(DEFAULT_DEFINITIONS);
    const deals = [
      s.deal,
      { ...s.deal, id: 'no-amount', amountCents: undefined },
      { ...s.deal, id: 'out', inScope: false },
    ];
    expect(coverageOfDeals(deals, s.contacts, engine).deals).toEqual({ covered: 0, total: 1, ratio: 0 });
    expect(coverageOfDeals(deals, s.contacts, engine, 'revenue').amountCents).toEqual({
      covered: 1000,
      total: 1000,
      ratio: 1,
    });
  });
});

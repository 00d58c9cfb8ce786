import { describe, expect, it } from 'vitest';
import {
  linearWeights,
  positionalWeights,
  roleUnits,
  timeDecayWeights,
} from '../../../server/domain/attribution/index.ts';
import { DEFAULT_DEFINITIONS, type Definitions } from '../../../server/domain/policy/index.ts';
import { centsByTouch, creditRows, day, MODEL_IDS, scenario, touch } from './scenario.ts';

/**
 * Section 7's table, worked by hand. Every expected figure is derived in the comment next to it:
 * shares of the amount, floor, the remainders, and who gets the cents left (largest remainder, ties
 * to the earlier touch). Touches with 0 cents have no row, so they are absent from the expectations.
 */

describe('no touch', () => {
  // Amount 1000 → 100000 cents; a deal with an amount but no touch: one unattributed row per model.
  const s = scenario({
    amount: '1000',
    createdDay: 10,
    closedDay: 20,
    stage: 'closed_won',
    contacts: [{ id: '1', createdDay: 0 }],
    touches: [],
  });
  const rows = creditRows(s);

  it.each(MODEL_IDS)('%s credits one unattributed row with the whole amount, for pipeline and revenue', (model) => {
    for (const kind of ['pipeline', 'revenue'] as const) {
      const own = rows.filter((r) => r.model === model && r.kind === kind);
      expect(own).toEqual([
        { dealId: 'deal-1', model, kind, touchId: null, channel: 'unattributed', campaignId: null, cents: 100000 },
      ]);
    }
  });

  it('also when the only touches are outside the window, or the deal has no contact', () => {
    const late = scenario({
      amount: '1000',
      createdDay: 10,
      contacts: [{ id: '1', createdDay: 0 }],
      touches: [touch('after', '1', day(11)), touch('too-old', '1', day(10 - 366))],
    });
    expect(centsByTouch(creditRows(late), 'linear', 'pipeline')).toEqual({ null: 100000 });
    const alone = scenario({ amount: '1000', createdDay: 10, contacts: [], touches: [] });
    expect(centsByTouch(creditRows(alone), 'u_shaped', 'pipeline')).toEqual({ null: 100000 });
  });
});

describe('one touch', () => {
  // 123.45 → 12345 cents; the touch holds every role and there are no others: 100% under every model.
  const s = scenario({
    amount: '123.45',
    createdDay: 30,
    contacts: [{ id: '1', createdDay: 40 }],
    touches: [touch('only', '1', day(3), { channel: 'partner', campaignId: 'CMP-1' })],
  });
  const rows = creditRows(s);

  it.each(MODEL_IDS)('%s gives it 100%%', (model) => {
    expect(rows.filter((r) => r.model === model && r.kind === 'pipeline')).toEqual([
      {
        dealId: 'deal-1',
        model,
        kind: 'pipeline',
        touchId: 'only',
        channel: 'partner',
        campaignId: 'CMP-1',
        cents: 12345,
      },
    ]);
  });

  it('credits no revenue to a deal that is not closed_won', () => {
    expect(rows.filter((r) => r.kind === 'revenue')).toEqual([]);
  });
});

describe('two touches: A (day 0) and B (day 10) of one contact created day 5, deal created day 20', () => {
  // 100.01 → 10001 cents. Pipeline M = day 20, both touches inside. Roles: first = A, last = B,
  // lead creation = latest touch of the contact at or before day 5 = A, deal creation = latest at
  // or before day 20 = B.
  const rows = creditRows(
    scenario({
      amount: '100.01',
      createdDay: 20,
      contacts: [{ id: '1', createdDay: 5 }],
      touches: [touch('B', '1', day(10)), touch('A', '1', day(0))],
    }),
  );
  const expected: Record<string, Record<string, number>> = {
    first_touch: { A: 10001 },
    last_touch: { B: 10001 },
    // 10001 / 2 = 5000.5 each; floors 10000, 1 cent left, remainders tie (.5, .5) → the earlier, A.
    linear: { A: 5001, B: 5000 },
    // A holds first + lead creation = 80%, B is the one other = 20%: 8000.8 and 2000.2; 1 left → A (.8).
    u_shaped: { A: 8001, B: 2000 },
    // A first + lead = 60%, B deal creation = 30%; no others: 10% / 3 roles each, so A 60 + 6.67 = 2/3,
    // B 30 + 3.33 = 1/3: 6667.33 and 3333.67; 1 left → B (.67 > .33).
    w_shaped: { A: 6667, B: 3334 },
    // A first + lead = 45%, B deal + last = 45%; no others: 2.5% to each of 4 roles → 50% / 50%:
    // 5000.5 each; tie → A.
    full_path: { A: 5001, B: 5000 },
    // Ages 20 and 10 days: weights 2^(−20/7) = 0.13801 and 2^(−10/7) = 0.37150, shares 0.270871 and
    // 0.729129: 2708.976 and 7292.024; floors 10000, 1 left → A (.976).
    time_decay: { A: 2709, B: 7292 },
    // A first 20%, B last 60%, no others: 20% / 2 roles → A 30%, B 70%: 3000.3 and 7000.7; 1 left → B.
    j_shaped: { A: 3000, B: 7001 },
    // A 60 + 10 = 70%, B 20 + 10 = 30%: 7000.7 and 3000.3; 1 left → A.
    inverse_j: { A: 7001, B: 3000 },
  };
  it.each(MODEL_IDS)('%s', (model) => {
    expect(centsByTouch(rows, model, 'pipeline')).toEqual(expected[model]);
  });
});

describe('three touches A (day 0), B (day 10), C (day 20); contact created day 12; deal created day 30', () => {
  // 1000.01 → 100001 cents. first = A, lead creation = B (latest at or before day 12), deal creation =
  // C (latest at or before day 30), last = C.
  const rows = creditRows(
    scenario({
      amount: '1000.01',
      createdDay: 30,
      contacts: [{ id: '7', createdDay: 12 }],
      touches: [touch('A', '7', day(0)), touch('C', '7', day(20)), touch('B', '7', day(10))],
    }),
  );
  const expected: Record<string, Record<string, number>> = {
    first_touch: { A: 100001 },
    last_touch: { C: 100001 },
    // 33333.67 each: floors 99999, 2 left, all remainders .67 → the two earliest, A and B.
    linear: { A: 33334, B: 33334, C: 33333 },
    // A 40%, B 40%, C (the one other) 20%: 40000.4, 40000.4, 20000.2; 1 left → tie A/B at .4 → A.
    u_shaped: { A: 40001, B: 40000, C: 20000 },
    // Three roles on three touches, no others: 30 + 10/3 each = 1/3 each, as linear.
    w_shaped: { A: 33334, B: 33334, C: 33333 },
    // No others: A 22.5 + 2.5 = 25%, B 25%, C deal + last = 50%: 25000.25, 25000.25, 50000.5;
    // 1 left → C (.5).
    full_path: { A: 25000, B: 25000, C: 50001 },
    // Ages 30, 20, 10 days: 2^(−30/7), 2^(−20/7), 2^(−10/7) ∝ 0.091428, 0.246105, 0.662467:
    // 9142.874, 24610.791, 66247.336; floors 99999, 2 left → A (.874), B (.791).
    time_decay: { A: 9143, B: 24611, C: 66247 },
    // A first 20%, C last 60%, B the other 20%: 20000.2, 20000.2, 60000.6; 1 left → C.
    j_shaped: { A: 20000, B: 20000, C: 60001 },
    // A 60%, B 20%, C 20%: 60000.6, 20000.2, 20000.2; 1 left → A.
    inverse_j: { A: 60001, B: 20000, C: 20000 },
  };
  it.each(MODEL_IDS)('%s', (model) => {
    expect(centsByTouch(rows, model, 'pipeline')).toEqual(expected[model]);
  });
});

describe('four touches of two contacts, with a time tie; won deal created day 6, closed day 9', () => {
  // 10 → 1000 cents. Contacts "101" and "99" are both created on day 5: the primary contact is the
  // lowest numeric id, 99 (as strings "101" would come first). Touches: P (101, day 0), Q (99, day 3),
  // R (101, day 3), S (99, day 8). Q and R tie on time; by id "Q" < "R", so the order is P, Q, R, S.
  const rows = creditRows(
    scenario({
      amount: '10',
      createdDay: 6,
      closedDay: 9,
      stage: 'closed_won',
      contacts: [
        { id: '101', createdDay: 5 },
        { id: '99', createdDay: 5 },
      ],
      touches: [
        touch('S', '99', day(8)),
        touch('R', '101', day(3)),
        touch('Q', '99', day(3)),
        touch('P', '101', day(0)),
      ],
    }),
  );

  describe('revenue: M = day 9, all four touches', () => {
    // first = P; lead creation = latest touch of 99 at or before day 5 = Q; deal creation = latest at
    // or before day 6 = R; last = S. Every role on its own touch.
    const expected: Record<string, Record<string, number>> = {
      first_touch: { P: 1000 },
      last_touch: { S: 1000 },
      linear: { P: 250, Q: 250, R: 250, S: 250 },
      // P 40%, Q 40%, others R and S 10% each.
      u_shaped: { P: 400, Q: 400, R: 100, S: 100 },
      // P, Q, R 30% each, S the one other 10%.
      w_shaped: { P: 300, Q: 300, R: 300, S: 100 },
      // Four roles on four touches, no others: 22.5 + 2.5 = 25% each.
      full_path: { P: 250, Q: 250, R: 250, S: 250 },
      // Ages 9, 6, 6, 1 days ∝ 0.169492, 0.228119, 0.228119, 0.374269: 169.49, 228.12, 228.12, 374.27;
      // floors 999, 1 left → P (.49).
      time_decay: { P: 170, Q: 228, R: 228, S: 374 },
      // P 20%, S 60%, others Q and R 10% each.
      j_shaped: { P: 200, Q: 100, R: 100, S: 600 },
      inverse_j: { P: 600, Q: 100, R: 100, S: 200 },
    };
    it.each(MODEL_IDS)('%s', (model) => {
      expect(centsByTouch(rows, model, 'revenue')).toEqual(expected[model]);
    });
  });

  describe('pipeline: M = day 6, so S (day 8, after M) takes no part', () => {
    // P, Q, R: first = P, lead creation = Q, deal creation = last = R.
    const expected: Record<string, Record<string, number>> = {
      first_touch: { P: 1000 },
      last_touch: { R: 1000 },
      // 333.33 each: 1 left, remainders tie → P.
      linear: { P: 334, Q: 333, R: 333 },
      // P 40%, Q 40%, R the one other 20%.
      u_shaped: { P: 400, Q: 400, R: 200 },
      // Three roles, no others: 1/3 each as linear.
      w_shaped: { P: 334, Q: 333, R: 333 },
      // No others: P 25%, Q 25%, R deal + last 50%.
      full_path: { P: 250, Q: 250, R: 500 },
      // Ages 6, 3, 3 ∝ 0.270871, 0.364565, 0.364565: 270.87, 364.56, 364.56; floors 998, 2 left →
      // P (.87), then Q and R tie (.56, the same time) → Q, the earlier.
      time_decay: { P: 271, Q: 365, R: 364 },
      // P 20%, R 60%, Q the other 20%.
      j_shaped: { P: 200, Q: 200, R: 600 },
      inverse_j: { P: 600, Q: 200, R: 200 },
    };
    it.each(MODEL_IDS)('%s', (model) => {
      expect(centsByTouch(rows, model, 'pipeline')).toEqual(expected[model]);
    });
  });
});

describe('seven touches inside the lookback, and touches just outside it', () => {
  // 1234.56 → 123456 cents. Deal created day 40 (pipeline M = day 40), contact created day 20.
  // Window: day 40 − 365 days ≤ time ≤ day 40, both ends included. t1 sits exactly on the lower
  // bound and t7 exactly on M; "early" is 1 ms before the bound and "late" 1 ms after M: excluded.
  // first = t1, lead creation = t4 (day 15, latest at or before day 20), deal creation = last = t7.
  const MS = 1;
  const rows = creditRows(
    scenario({
      amount: '1234.56',
      createdDay: 40,
      contacts: [{ id: '5', createdDay: 20 }],
      touches: [
        touch('early', '5', day(-325) - MS),
        touch('t1', '5', day(-325)),
        touch('t2', '5', day(5)),
        touch('t3', '5', day(10)),
        touch('t4', '5', day(15)),
        touch('t5', '5', day(25)),
        touch('t6', '5', day(30)),
        touch('t7', '5', day(40)),
        touch('late', '5', day(40) + MS),
      ],
    }),
  );
  const expected: Record<string, Record<string, number>> = {
    first_touch: { t1: 123456 },
    last_touch: { t7: 123456 },
    // 123456 / 7 = 17636.571: floors 123452, 4 left, all remainders equal → t1..t4.
    linear: { t1: 17637, t2: 17637, t3: 17637, t4: 17637, t5: 17636, t6: 17636, t7: 17636 },
    // t1 40% = 49382.4, t4 40% = 49382.4, five others 4% = 4938.24 each: floors 123454; 2 left → t1, t4 (.4).
    u_shaped: { t1: 49383, t2: 4938, t3: 4938, t4: 49383, t5: 4938, t6: 4938, t7: 4938 },
    // t1, t4, t7 30% = 37036.8 each; four others 2.5% = 3086.4: floors 123452; 4 left → t1, t4, t7
    // (.8), then the earliest .4, t2.
    w_shaped: { t1: 37037, t2: 3087, t3: 3086, t4: 37037, t5: 3086, t6: 3086, t7: 37037 },
    // t1 22.5% = 27777.6, t4 22.5% = 27777.6, t7 deal + last 45% = 55555.2, four others 2.5% = 3086.4:
    // floors 123453; 3 left → t1, t4 (.6), then the earliest .4, t2 (t7's .2 is smaller).
    full_path: { t1: 27778, t2: 3087, t3: 3086, t4: 27778, t5: 3086, t6: 3086, t7: 55555 },
    // Ages 365, 35, 30, 25, 15, 10, 0 days: t1's 2^(−365/7) ≈ 2.4e−16 of the total is 0.00000003 cents
    // (no row); ∝ 0.017710, 0.029056, 0.047671, 0.128321, 0.210532, 0.566711 for t2..t7:
    // 2186.369, 3587.112, 5885.270, 15841.972, 25991.459, 69963.819; floors 2186 + 3587 + 5885 + 15841
    // + 25991 + 69963 = 123453; 3 left → the largest remainders t5 (.972), t7 (.819), t6 (.459).
    time_decay: { t2: 2186, t3: 3587, t4: 5885, t5: 15842, t6: 25992, t7: 69964 },
    // t1 20% = 24691.2, t7 60% = 74073.6, five others 4% = 4938.24: floors 123454; 2 left → t7 (.6),
    // then t2 (.24 beats t1's .2).
    j_shaped: { t1: 24691, t2: 4939, t3: 4938, t4: 4938, t5: 4938, t6: 4938, t7: 74074 },
    // t1 60% = 74073.6, t7 20% = 24691.2, others 4938.24: 2 left → t1, then t2.
    inverse_j: { t1: 74074, t2: 4939, t3: 4938, t4: 4938, t5: 4938, t6: 4938, t7: 24691 },
  };
  it.each(MODEL_IDS)('%s', (model) => {
    expect(centsByTouch(rows, model, 'pipeline')).toEqual(expected[model]);
  });
});

describe('a touch holding several roles, and the "no others" rule, with shares that are not whole', () => {
  it('gives a touch the sum of its roles and spreads the others share over the roles when no touch is left', () => {
    // Two touches; the contact is created after both, so lead creation = B, the latest, which is
    // also deal creation and last. full_path: A first 22.5%; B lead + deal + last 67.5%; no others:
    // 10% / 4 roles = 2.5% each → A 25%, B 75%. 0.03 → 3 cents: 0.75 and 2.25 → floors 2, 1 left
    // → A (.75 > .25).
    const rows = creditRows(
      scenario({
        amount: '0.03',
        createdDay: 10,
        contacts: [{ id: '1', createdDay: 9 }],
        touches: [touch('A', '1', day(1)), touch('B', '1', day(2))],
      }),
    );
    expect(centsByTouch(rows, 'full_path', 'pipeline')).toEqual({ A: 1, B: 2 });
    // u_shaped: A first 40%, B lead 40%, no others: 20% / 2 → 50% / 50%: 1.5 each → tie → A.
    expect(centsByTouch(rows, 'u_shaped', 'pipeline')).toEqual({ A: 2, B: 1 });
  });
});

describe('reads its settings from the definitions', () => {
  const base = {
    amount: '100',
    createdDay: 40,
    contacts: [{ id: '1', createdDay: 0 }],
    touches: [touch('old', '1', day(0)), touch('new', '1', day(35))],
  };
  const withAttribution = (attribution: Partial<Definitions['attribution']>): Pick<Definitions, 'attribution'> => ({
    attribution: { ...DEFAULT_DEFINITIONS.attribution, ...attribution },
  });

  it('lookback: 30 days leaves only the day-35 touch', () => {
    const rows = creditRows(scenario(base), withAttribution({ lookbackDays: 30 }));
    expect(centsByTouch(rows, 'first_touch', 'pipeline')).toEqual({ new: 10000 });
  });

  it('half-life: 35 days makes the touch 35 days older weigh exactly half', () => {
    // Weights 2^(−40/35) and 2^(−5/35): ratio 1 : 2 → 3333.33 and 6666.67; 1 left → new (.67).
    const rows = creditRows(
      scenario(base),
      withAttribution({
        models: [{ id: 'decay', label: 'Decay', enabled: true, kind: 'time_decay', halfLifeDays: 35 }],
      }),
    );
    expect(centsByTouch(rows, 'decay', 'pipeline')).toEqual({ old: 3333, new: 6667 });
  });

  it('shares, the unattributed channel and disabled models', () => {
    const rows = creditRows(
      scenario(base),
      withAttribution({
        unattributedChannel: 'none',
        models: [
          { id: 'lopsided', label: 'L', enabled: true, kind: 'positional', weights: { first: 12.5, last: 87.5 } },
          { id: 'off', label: 'Off', enabled: false, kind: 'linear' },
        ],
      }),
    );
    // 12.5% of 10000 = 1250, 87.5% = 8750.
    expect(centsByTouch(rows, 'lopsided', 'pipeline')).toEqual({ old: 1250, new: 8750 });
    expect(rows.some((r) => r.model === 'off')).toBe(false);
    const empty = creditRows(scenario({ ...base, touches: [] }), withAttribution({ unattributedChannel: 'none' }));
    expect(new Set(empty.map((r) => r.channel))).toEqual(new Set(['none']));
  });
});

describe('the weight functions themselves', () => {
  const roles = { first: 0, last: 3, lead_creation: 1, deal_creation: 3 };
  const FULL_PATH = roleUnits({ first: 22.5, last: 22.5, lead_creation: 22.5, deal_creation: 22.5, others: 10 });

  it('positional: integer numerators, role sums, others evenly, or the others share over the roles', () => {
    // full_path units 9 : 9 : 9 : 9 : 4 over touches 0..4; roles on 0, 1, 3, 3; others 2 and 4.
    // Over |others| = 2: role touches 9 × 2 = 18 per role (touch 3: 36), others 4 each. Sum 80 = 40 units × 2.
    const out = new Float64Array(5);
    positionalWeights(FULL_PATH, 5, roles, out);
    expect([...out]).toEqual([18, 18, 4, 36, 4]);
    // Three touches, all holding roles (first 0, lead 1, deal and last 2): no others, so over
    // |roles| = 4 each role counts 9 × 4 + 4 = 40 → 40, 40, 80. Sum 160 = 40 × 4.
    const three = new Float64Array(3);
    positionalWeights(FULL_PATH, 3, { first: 0, lead_creation: 1, deal_creation: 2, last: 2 }, three);
    expect([...three]).toEqual([40, 40, 80]);
  });

  it('linear and time decay', () => {
    const out = new Float64Array(3);
    linearWeights(3, out);
    expect([...out]).toEqual([1, 1, 1]);
    timeDecayWeights([touch('a', '1', day(0)), touch('b', '1', day(7)), touch('c', '1', day(14))], 7 * 86_400_000, out);
    expect([...out]).toEqual([0.25, 0.5, 1]); // one and two half-lives before the latest
  });
});

import { describe, expect, it } from 'vitest';
import { actionRate, decisionProblems, decisionSla } from '../../../server/domain/metrics/index.ts';

const at = (iso: string) => Date.parse(iso);
const finding = (key: string) => ({ kind: 'finding' as const, key });
const metric = (key: string) => ({ kind: 'metric' as const, key });

describe('Action Rate', () => {
  const from = at('2026-02-01T00:00:00Z');
  const to = at('2026-03-01T00:00:00Z');
  const digests = [
    { generatedAt: at('2026-02-02T07:00:00Z'), items: [finding('missing_field:amount'), metric('sla_compliance:mql')] },
    // Raised again a week later: still one item, first raised on the 2nd.
    { generatedAt: at('2026-02-09T07:00:00Z'), items: [finding('missing_field:amount'), finding('duplicate:1')] },
    { generatedAt: at('2026-02-16T07:00:00Z'), items: [finding('stage_gap:skipped')] },
    // Outside the period on both sides: not counted.
    { generatedAt: at('2026-01-26T07:00:00Z'), items: [finding('old:item')] },
    { generatedAt: at('2026-03-02T07:00:00Z'), items: [finding('later:item')] },
  ];

  it('counts each raised subject once and those an action answered', () => {
    const result = actionRate({
      from,
      to,
      digests,
      actions: [
        // New action after the digest: answers it.
        { subject: finding('missing_field:amount'), createdAt: at('2026-02-03T10:00:00Z'), closedAt: null },
        // Opened before the period and still open when raised: answers it.
        {
          subject: metric('sla_compliance:mql'),
          createdAt: at('2026-01-10T10:00:00Z'),
          closedAt: at('2026-02-05T00:00:00Z'),
        },
        // Closed before the item was raised (16th): does not answer it.
        {
          subject: finding('stage_gap:skipped'),
          createdAt: at('2026-02-01T10:00:00Z'),
          closedAt: at('2026-02-10T00:00:00Z'),
        },
        // Created after the period: does not count for it.
        { subject: finding('duplicate:1'), createdAt: at('2026-03-01T00:00:00Z'), closedAt: null },
        // An action on a subject no digest raised changes nothing.
        { subject: finding('old:item'), createdAt: at('2026-02-03T10:00:00Z'), closedAt: null },
      ],
    });
    expect(result).toEqual({ items: 4, actioned: 2, rate: 0.5 });
  });

  it('tells subjects apart by kind as well as key, and has no rate without items', () => {
    const same = actionRate({
      from,
      to,
      digests: [{ generatedAt: at('2026-02-02T07:00:00Z'), items: [finding('x')] }],
      actions: [{ subject: metric('x'), createdAt: at('2026-02-03T00:00:00Z'), closedAt: null }],
    });
    expect(same).toEqual({ items: 1, actioned: 0, rate: 0 });
    expect(actionRate({ from, to, digests: [], actions: [] })).toEqual({ items: 0, actioned: 0, rate: null });
  });
});

describe('Decision SLA', () => {
  const from = at('2026-02-01T00:00:00Z');
  const to = at('2026-03-01T00:00:00Z');
  const asOf = at('2026-02-20T12:00:00Z');

  it('counts actions due in the period whose outcome is known, met when closed by the end of the due day', () => {
    const result = decisionSla({
      from,
      to,
      asOf,
      actions: [
        // Closed on its due day, late in the evening: on time.
        { dueOn: '2026-02-05', status: 'done', closedAt: at('2026-02-05T23:59:00Z') },
        // Dropped a day late: late (dropping is closing).
        { dueOn: '2026-02-06', status: 'dropped', closedAt: at('2026-02-07T00:00:00Z') },
        // Open past its due date: late.
        { dueOn: '2026-02-10', status: 'open', closedAt: null },
        // Open, due after asOf: not decided yet, left out.
        { dueOn: '2026-02-25', status: 'open', closedAt: null },
        // Closed early although due later in the period: on time.
        { dueOn: '2026-02-27', status: 'done', closedAt: at('2026-02-18T09:00:00Z') },
        // Due outside the period: left out.
        { dueOn: '2026-01-31', status: 'done', closedAt: at('2026-01-30T00:00:00Z') },
        { dueOn: '2026-03-01', status: 'done', closedAt: at('2026-02-10T00:00:00Z') },
      ],
    });
    expect(result).toEqual({ due: 4, metOnTime: 2, rate: 0.5 });
  });

  it('has no rate when nothing fell due', () => {
    expect(decisionSla({ from, to, asOf, actions: [] })).toEqual({ due: 0, metOnTime: 0, rate: null });
  });
});

describe('decision state', () => {
  it('requires an outcome to close an action', () => {
    expect(decisionProblems({ status: 'open', outcome: null })).toEqual([]);
    expect(decisionProblems({ status: 'done', outcome: 'Made amount required at proposal' })).toEqual([]);
    expect(decisionProblems({ status: 'dropped', outcome: '  ' })).toEqual([
      { path: 'outcome', message: 'is required when the status is dropped' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { addedCodes, codes, D, edited, evaluate, goodTicket, HANDOFF_ITEMS } from './builders.ts';

/** Section 5: the handoff checklist, required (section 2) from in_delivery on. */
describe('section 5: handoff checklist', () => {
  it('reads the items of the specification from the definitions', () => {
    expect(D.checklists.find((c) => c.id === 'handoff')!.items.map((item) => item.id)).toEqual(D_ITEMS);
  });

  it.each(HANDOFF_ITEMS)('is incomplete while %s is not done', (item) => {
    const ticket = goodTicket('in_delivery', {}, { done: HANDOFF_ITEMS.filter((other) => other !== item) });
    expect(addedCodes(goodTicket('in_delivery'), ticket)).toEqual(['checklist_incomplete']);
    const finding = evaluate(ticket).findings[0]!;
    expect(finding).toMatchObject({ kind: 'checklist_incomplete', severity: 'warning' });
    expect(finding.field).toBeUndefined();
    expect(finding.facts.missingItems).toEqual([item]);
    expect(evaluate(ticket).properties).toMatchObject({ clr_handoff_pct: '86', clr_handoff_complete: 'false' });
  });

  it('passes with every item done, whoever checked them', () => {
    expect(codes(goodTicket('results_review'))).toEqual([]);
    expect(evaluate(goodTicket('results_review')).properties).toMatchObject({
      clr_handoff_pct: '100',
      clr_handoff_complete: 'true',
    });
  });

  it('starts with nothing done on a new install, and says what is left', () => {
    const ticket = goodTicket('in_delivery', {}, { done: [] });
    expect(evaluate(ticket).properties).toMatchObject({ clr_handoff_pct: '0', clr_handoff_complete: 'false' });
    expect(evaluate(ticket).findings[0]!.proposedFix).toMatch(
      /^Complete the Handoff checklist on ticket 101: 7 of 7 items not done \(Scope summary matches the proposal; .*Kickoff scheduled\) — required from In delivery; the ticket reached In delivery on 2026-10-25\.$/,
    );
  });

  it('ignores items the checklist does not list, or of another checklist', () => {
    const ticket = goodTicket('in_delivery', {}, { done: [...HANDOFF_ITEMS.slice(1), 'coffee'] });
    expect(evaluate(ticket).findings[0]!.facts.missingItems).toEqual(['scope_confirmed']);
  });

  it('rounds the percentage half up', () => {
    const pct = (done: number) =>
      evaluate(goodTicket('onboarding', {}, { done: HANDOFF_ITEMS.slice(0, done) })).properties.clr_handoff_pct;
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(pct)).toEqual(['0', '14', '29', '43', '57', '71', '86', '100']);
    const eight = edited((d) => {
      d.checklists[0]!.items.push({ id: 'invoice_sent', label: 'Invoice sent' });
    });
    // 1 of 8 is 12.5 and 3 of 8 is 37.5: half up gives 13 and 38.
    const of8 = (done: number) =>
      evaluate(goodTicket('onboarding', {}, { done: HANDOFF_ITEMS.slice(0, done) }), eight).properties.clr_handoff_pct;
    expect([of8(1), of8(3), of8(7)]).toEqual(['13', '38', '88']);
  });

  it('follows an admin adding an item: what was complete no longer is', () => {
    const withInvoice = edited((d) => {
      d.checklists[0]!.items.push({ id: 'invoice_sent', label: 'Invoice sent' });
    });
    expect(codes(goodTicket('closed'), withInvoice)).toEqual(['checklist_incomplete']);
  });
});

const D_ITEMS = [
  'scope_confirmed',
  'sla_recorded',
  'timeline_assumptions',
  'access_plan',
  'stakeholders',
  'success_criteria',
  'kickoff_scheduled',
];

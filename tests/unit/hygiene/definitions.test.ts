import { describe, expect, it } from 'vitest';
import { codes, edited, evaluate, goodContact, goodDeal, goodTicket, record } from './builders.ts';

/** The engine reads every rule from the definitions: an admin's change changes the findings. */
describe('rules as data', () => {
  it('follows a required-field row added, re-ruled or narrowed', () => {
    const lead = goodContact('lead', { clr_offer_id: '' });
    expect(codes(lead)).toEqual([]);
    const offerFromLead = edited((d) => {
      d.requiredFields.push({
        object: 'contact',
        stage: 'lead',
        applies: 'from',
        field: 'clr_offer_id',
        rule: 'non_empty',
      });
    });
    expect(codes(lead, offerFromLead)).toEqual(['missing_field:clr_offer_id']);

    const amountAsText = edited((d) => {
      const row = d.requiredFields.find((r) => 'field' in r && r.field === 'amount')!;
      if ('field' in row) row.rule = 'non_empty';
    });
    expect(codes(goodDeal('discovery', { amount: '0' }))).toEqual(['missing_field:amount']);
    expect(codes(goodDeal('discovery', { amount: '0' }), amountAsText)).toEqual([]);

    const scopeOnlyAtProposal = edited((d) => {
      const row = d.requiredFields.find((r) => 'field' in r && r.field === 'clr_sla_scope')!;
      row.applies = 'only';
    });
    expect(codes(goodDeal('contract', { clr_sla_scope: '' }))).toEqual(['missing_field:clr_sla_scope']);
    expect(codes(goodDeal('contract', { clr_sla_scope: '' }), scopeOnlyAtProposal)).toEqual([]);
  });

  it('follows a join key check removed or moved to another stage', () => {
    const noBuyerCheck = edited((d) => {
      d.joinKeys = d.joinKeys.filter((check) => check.id !== 'deal_has_buyer');
    });
    const orphan = goodDeal('proposal', {}, { associations: [] });
    expect(codes(orphan)).toEqual(['missing_join_key:contact']);
    expect(codes(orphan, noBuyerCheck)).toEqual([]);
    expect(evaluate(orphan, noBuyerCheck).score.applicable).toBe(evaluate(orphan).score.applicable - 1);

    const contractFromContract = edited((d) => {
      const check = d.joinKeys.find((c) => c.id === 'won_deal_has_contract')!;
      check.atStage = { stage: 'contract', applies: 'from' };
    });
    expect(codes(goodDeal('contract', { clr_contract_id: '' }), contractFromContract)).toEqual([
      'missing_join_key:clr_contract_id',
    ]);
  });

  it('follows an admin mapping of a portal’s own pipeline and stage ids', () => {
    const mapped = edited((d) => {
      d.stages.ticket.pipelines.push({
        id: '88',
        values: { onboarding: ['101'], in_delivery: ['102'], results_review: ['103'], closed: ['104'] },
      });
    });
    const ticket = record(
      'ticket',
      {
        hs_pipeline: '88',
        hs_pipeline_stage: '102',
        clr_contract_id: 'C',
        hs_v2_date_entered_101: '2026-10-20',
        hs_v2_date_entered_102: '2026-10-25',
      },
      { associations: [{ objectType: 'deal', id: '1', properties: { clr_contract_id: 'C' } }] },
    );
    expect(evaluate(ticket).inScope).toBe(false);
    expect(evaluate(ticket, mapped)).toMatchObject({ inScope: true, stage: 'in_delivery' });
    expect(codes(ticket, mapped)).toEqual(['checklist_incomplete']);
    expect(evaluate(goodTicket('in_delivery'), mapped).findings).toEqual([]);
  });

  it('follows the compliance level of each finding kind, for status and severity', () => {
    const slaCounts = edited((d) => {
      d.findings.sla_breached.compliance = 'incomplete';
    });
    const stalled = goodDeal('discovery', { hs_date_entered_appointmentscheduled: '2026-01-01' }, { history: [] });
    expect(evaluate(stalled).properties.clr_compliance_status).toBe('compliant');
    expect(evaluate(stalled).findings[0]!.severity).toBe('info');
    expect(evaluate(stalled, slaCounts).properties.clr_compliance_status).toBe('incomplete');
    expect(evaluate(stalled, slaCounts).findings[0]!.severity).toBe('warning');
  });

  it('follows an admin reordering the stages', () => {
    // Make SAL a step before MQL: a SQL without clr_sal_date still skipped it, an MQL now has too.
    const salFirst = edited((d) => {
      d.stages.contact.order = [['lead', 'sal', 'mql', 'sql', 'opportunity', 'customer']];
      d.stages.contact.stages = [0, 2, 1, 3, 4, 5].map((i) => d.stages.contact.stages[i]!);
    });
    const mql = goodContact('mql', { hs_lifecyclestage_marketingqualifiedlead_date: '2026-10-02T00:00:00.000Z' });
    expect(codes(mql).filter((c) => c.startsWith('stage_gap'))).toEqual([]);
    expect(codes(mql, salFirst).filter((c) => c.startsWith('stage_gap'))).toEqual(['stage_gap:skipped:sal']);
  });
});

import { describe, expect, it } from 'vitest';
import { addedCodes, BUYER, codes, evaluate, goodDeal, goodTicket, ORIGIN, record } from './builders.ts';

/** Section 4, the four join-key rows: each passes, fails, and (where it has one) is out of its reach. */
describe('section 4: join keys', () => {
  describe('deal has a buyer (every deal in scope)', () => {
    it('passes with an associated contact', () => {
      expect(codes(goodDeal('discovery'))).toEqual([]);
    });
    it('fails without one, at any stage', () => {
      expect(addedCodes(goodDeal('discovery'), goodDeal('discovery', {}, { associations: [] }))).toEqual([
        'missing_join_key:contact',
      ]);
      const onlyCompany = [{ objectType: 'company' as const, id: '9', properties: {} }];
      expect(addedCodes(goodDeal('closed_lost'), goodDeal('closed_lost', {}, { associations: onlyCompany }))).toEqual([
        'missing_join_key:contact',
      ]);
    });
    it('does not apply to a deal out of scope', () => {
      expect(codes(goodDeal('discovery', { pipeline: 'partners' }, { associations: [] }))).toEqual([]);
    });
  });

  describe('won deal has a contract (deals at closed_won)', () => {
    it('passes with a contract id', () => {
      expect(codes(goodDeal('closed_won'))).toEqual([]);
    });
    it('fails with an empty one', () => {
      expect(addedCodes(goodDeal('closed_won'), goodDeal('closed_won', { clr_contract_id: ' ' }))).toEqual([
        'missing_join_key:clr_contract_id',
      ]);
    });
    it('does not apply before closed_won, nor to a lost deal', () => {
      expect(codes(goodDeal('contract', { clr_contract_id: null }))).toEqual([]);
      expect(codes(goodDeal('closed_lost', { clr_contract_id: null }))).toEqual([]);
    });
    it('proposes setting it, with when the deal was won', () => {
      const finding = evaluate(goodDeal('closed_won', { clr_contract_id: null })).findings[0]!;
      expect(finding).toMatchObject({ field: 'clr_contract_id', kind: 'missing_join_key', severity: 'warning' });
      expect(finding.proposedFix).toBe(
        'Set `clr_contract_id` on deal 101 — required from Closed Won; the deal reached Closed Won on 2026-10-26 (Won deal has a contract).',
      );
    });
  });

  describe('delivery has an origin (every ticket in scope)', () => {
    it('passes with an associated deal', () => {
      expect(codes(goodTicket('onboarding'))).toEqual([]);
    });
    it('fails without one', () => {
      expect(addedCodes(goodTicket('onboarding'), goodTicket('onboarding', {}, { associations: [] }))).toEqual([
        'missing_join_key:deal',
      ]);
    });
  });

  describe('delivery matches its contract', () => {
    const deal = (id: string, contract: string | null) => ({
      objectType: 'deal' as const,
      id,
      properties: { clr_contract_id: contract },
    });
    it('passes when some associated deal has the same id, both trimmed', () => {
      const ticket = goodTicket(
        'closed',
        { clr_contract_id: ' CTR-7 ' },
        { associations: [deal('1', 'CTR-1'), deal('2', 'CTR-7  ')] },
      );
      expect(codes(ticket)).toEqual([]);
    });
    it('fails when none does, comparing exactly after trimming', () => {
      const ticket = goodTicket('closed', { clr_contract_id: 'ctr-1' }, { associations: [ORIGIN, deal('2', null)] });
      expect(addedCodes(goodTicket('closed'), ticket)).toEqual(['join_key_mismatch:clr_contract_id']);
      const finding = evaluate(ticket).findings[0]!;
      expect(finding).toMatchObject({ field: 'clr_contract_id', severity: 'error' });
      expect(finding.facts).toMatchObject({
        value: 'ctr-1',
        associatedIds: ['2', '301'],
        associatedValues: ['', 'CTR-1'],
      });
    });
    it('does not apply without a contract id on the ticket or without a deal', () => {
      expect(codes(goodTicket('onboarding', { clr_contract_id: '' }))).toEqual(['missing_field:clr_contract_id']);
      expect(codes(goodTicket('onboarding', {}, { associations: [] }))).toEqual(['missing_join_key:deal']);
      expect(evaluate(goodTicket('onboarding', {}, { associations: [] })).score).toEqual({ applicable: 3, passed: 2 });
    });
  });

  it('has no join key on contacts in version 1, with or without associations', () => {
    expect(codes(record('contact', { lifecyclestage: 'lead', email: 'a@b.c' }, { associations: [BUYER] }))).toEqual([]);
    expect(codes(record('contact', { lifecyclestage: 'lead', email: 'a@b.c' }, { associations: [] }))).toEqual([]);
  });
});

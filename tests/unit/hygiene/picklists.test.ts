import { describe, expect, it } from 'vitest';
import type { RecordInput } from '../../../server/domain/hygiene/index.ts';
import { addedCodes, codes, edited, evaluate, goodContact, goodDeal, goodTicket, type Props } from './builders.ts';

/**
 * Section 3's governed picklists, transcribed from the specification: every option is accepted on a
 * field governed by it, and values compare exactly (case-sensitive, untrimmed). The channel mapping
 * of touches is attribution's, not tested here.
 */
const PICKLISTS: { picklist: string; options: string[]; on: (props: Props) => RecordInput; field: string }[] = [
  {
    picklist: 'channel',
    options: [
      'paid_search',
      'paid_social',
      'organic_search',
      'organic_social',
      'email',
      'referral',
      'partner',
      'events',
      'direct',
      'outbound',
      'other',
    ],
    on: (props) => goodContact('sql', props),
    field: 'clr_channel',
  },
  {
    picklist: 'icp_tier',
    options: ['tier_1', 'tier_2', 'tier_3', 'not_icp'],
    on: (props) => goodContact('sql', props),
    field: 'clr_icp_tier',
  },
  {
    picklist: 'product_line',
    options: ['managed_services', 'cloud_migration', 'security', 'data_platform', 'support_retainer'],
    on: (props) => goodDeal('contract', props),
    field: 'clr_product_line',
  },
  {
    picklist: 'win_reason',
    options: ['price', 'capability_fit', 'relationship', 'timeline', 'partner_influence', 'other'],
    on: (props) => goodDeal('closed_won', props),
    field: 'clr_win_reason',
  },
  {
    picklist: 'loss_reason',
    options: ['price', 'no_decision', 'competitor', 'capability_gap', 'timing', 'not_a_fit', 'other'],
    on: (props) => goodDeal('closed_lost', props),
    field: 'clr_loss_reason',
  },
  {
    picklist: 'change_request_reason',
    options: [
      'scope_gap_in_discovery',
      'new_requirement',
      'timeline_change',
      'access_or_readiness',
      'stakeholder_change',
      'defect',
      'other',
    ],
    on: (props) => goodTicket('in_delivery', props),
    field: 'clr_change_request_reason',
  },
];

describe('section 3: governed picklists', () => {
  for (const { picklist, options, on, field } of PICKLISTS)
    describe(`${picklist} on ${field}`, () => {
      it.each(options)('accepts %s', (option) => {
        expect(codes(on({ [field]: option })).filter((c) => c.endsWith(`:${field}`))).toEqual([]);
      });

      it.each([options[0]!.toUpperCase(), ` ${options[0]}`, `${options[0]} `, 'unknown'])('refuses %j', (value) => {
        const base = on({ [field]: options[0]! });
        expect(addedCodes(base, on({ [field]: value }))).toEqual([`invalid_value:${field}`]);
      });
    });

  it('lists the options in the proposed fix and the facts of an invalid value', () => {
    const finding = evaluate(goodDeal('discovery', { clr_product_line: 'Cloud' })).findings[0]!;
    expect(finding).toMatchObject({
      code: 'invalid_value:clr_product_line',
      field: 'clr_product_line',
      severity: 'error',
    });
    expect(finding.facts).toMatchObject({ picklist: 'product_line', value: 'Cloud' });
    expect(finding.proposedFix).toContain(
      'Replace "Cloud" in `clr_product_line` on deal 101 with one of: managed_services,',
    );
  });

  it('reads a legacy value as its option once an admin maps it', () => {
    const withLegacy = edited((d) => {
      d.picklists.find((p) => p.name === 'channel')!.legacyValues.push({ value: 'Google Ads', mapsTo: 'paid_search' });
    });
    const contact = goodContact('mql', { clr_channel: 'Google Ads' });
    expect(codes(contact)).toContain('invalid_value:clr_channel');
    expect(codes(contact, withLegacy)).not.toContain('invalid_value:clr_channel');
  });

  it('follows an admin adding an option', () => {
    const withLinkedIn = edited((d) => {
      d.picklists.find((p) => p.name === 'channel')!.options.push({ value: 'LinkedIn', label: 'LinkedIn' });
    });
    const contact = goodContact('mql', { clr_channel: 'LinkedIn' });
    expect(codes(contact)).toContain('invalid_value:clr_channel');
    expect(codes(contact, withLinkedIn)).not.toContain('invalid_value:clr_channel');
  });
});

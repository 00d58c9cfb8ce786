import { describe, expect, it } from 'vitest';
import { evaluatePortal, FindingSchema, type RecordEvaluation } from '../../../server/domain/hygiene/index.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/index.ts';
import { loadDemoPortal } from './demo-fixture.ts';

/**
 * The demo portal under the default definitions at the fixture's `now` (2026-11-01T00:00Z). Every
 * expectation below was derived by hand from the policy text and the fixture's values (never from
 * the engine's output); the comment on each says which rule fires on which field or time.
 *
 * Timestamps after `now` (deals 1057, 1148, 1657, tickets 1149, 1658, contacts 1049, 1051, 1467,
 * 1654) are data as given: the stages still count as entered, `clr_days_in_stage` is clamped to 0,
 * and an SLA whose start lies after `now` can only be breached by an end already recorded.
 *
 * Abbreviations: rows = section-2 rows that apply (+ join keys + 1 stage-integrity check) = the
 * score's denominator; "follow-up" = lead_follow_up (24 h), "acceptance" = lead_acceptance (48 h).
 */
type Expected = {
  codes: string[];
  properties: Record<string, string | undefined>;
};

const EXPECTED: Record<string, Expected> = {
  // Lead with an email: the only row (email) passes; history [lead]; never MQL, so no SLA.
  // Days: 2025-09-12T05 → 2026-11-01T00 = 414 d 19 h.
  'contact:1040': {
    codes: [],
    properties: {
      clr_compliance_status: 'compliant',
      clr_compliance_score: '100',
      clr_days_in_stage: '414',
      clr_sla_breached: 'false',
    },
  },
  // Lead with email "" → missing_field:email. Score 1 of 2 (email, stages) = 50.
  'contact:1093': {
    codes: ['missing_field:email'],
    properties: {
      clr_compliance_status: 'incomplete',
      clr_compliance_score: '50',
      clr_missing_fields: 'email',
      clr_days_in_stage: '42',
    },
  },
  // SQL without clr_channel → missing_field. No clr_sal_date, and sal < sql → skipped:sal. MQL
  // 2026-02-12T22, engagement 02-13T07 (9 h, kept); no SAL and now ≫ 48 h → acceptance breached.
  // Rows: email, channel, offer, icp, product line + stages = 6, 4 pass → 66.7 → 67.
  'contact:1045': {
    codes: ['missing_field:clr_channel', 'sla_breached:lead_acceptance', 'stage_gap:skipped:sal'],
    properties: {
      clr_compliance_status: 'invalid',
      clr_compliance_score: '67',
      clr_missing_fields: 'clr_channel',
      clr_stage_integrity: 'skipped_stage',
      clr_sla_breached: 'true',
      clr_days_in_stage: '240', // SQL since 2026-03-05T23
    },
  },
  // MQL entered 2026-11-06T01 (after now); engagement 11-07T02 is 25 h later → follow-up breached
  // although both lie in the future. Acceptance: no SAL but now is before MQL → not breached.
  'contact:1049': {
    codes: ['sla_breached:lead_follow_up'],
    properties: {
      clr_compliance_status: 'compliant',
      clr_compliance_score: '100',
      clr_sla_breached: 'true',
      clr_days_in_stage: '0',
    },
  },
  // SQL date 10-24T18 is before clr_sal_date 10-25T02, its nearest earlier entered stage →
  // out_of_order:sql. No engagement, now ≫ MQL 10-23T10 + 24 h → follow-up breached; SAL came
  // 40 h after MQL → acceptance kept. Opportunity entered 11-11 (after now) → 0 days.
  'contact:1051': {
    codes: ['sla_breached:lead_follow_up', 'stage_gap:out_of_order:sql'],
    properties: {
      clr_compliance_status: 'invalid',
      clr_compliance_score: '83',
      clr_stage_integrity: 'out_of_order',
      clr_days_in_stage: '0',
    },
  },
  // No clr_icp_tier → missing. The MQL date property (2025-10-03T04) wins over the history
  // (10-08) and is before lead (10-04T04) → out_of_order:mql. No SAL at SQL → skipped:sal (listed
  // first in clr_stage_integrity). Engagement 10-09T06 is 146 h after MQL → follow-up; no SAL → acceptance.
  'contact:1075': {
    codes: [
      'missing_field:clr_icp_tier',
      'sla_breached:lead_acceptance',
      'sla_breached:lead_follow_up',
      'stage_gap:out_of_order:mql',
      'stage_gap:skipped:sal',
    ],
    properties: {
      clr_compliance_score: '67',
      clr_stage_integrity: 'skipped_stage',
      clr_missing_fields: 'clr_icp_tier',
    },
  },
  // clr_channel "webinar!" is no channel → invalid; no clr_offer_id → missing. Engagement 25 h after
  // MQL (09-05T18 → 09-06T19) → follow-up; no SAL → acceptance. Survivor of its email group (1098 < 1303).
  // Rows: email, channel, offer, icp, stages = 5, 3 pass → 60.
  'contact:1098': {
    codes: [
      'invalid_value:clr_channel',
      'missing_field:clr_offer_id',
      'sla_breached:lead_acceptance',
      'sla_breached:lead_follow_up',
    ],
    properties: {
      clr_compliance_status: 'invalid',
      clr_compliance_score: '60',
      clr_missing_fields: 'clr_offer_id',
      clr_duplicate_of: undefined,
    },
  },
  // "  GUS.LARSEN16@WAYNE22.EXAMPLE.COM " trims and lower-cases to 1098's email → duplicate:1098.
  // No clr_icp_tier → missing. Engagement 54 h after MQL → follow-up; no SAL → acceptance. 4/5 = 80.
  'contact:1303': {
    codes: [
      'duplicate:1098',
      'missing_field:clr_icp_tier',
      'sla_breached:lead_acceptance',
      'sla_breached:lead_follow_up',
    ],
    properties: { clr_compliance_status: 'incomplete', clr_compliance_score: '80', clr_duplicate_of: '1098' },
  },
  // Survivor of the eli.haddad7@stark30.example.com group (1063 < 1241): nothing to report.
  'contact:1063': {
    codes: [],
    properties: { clr_compliance_status: 'compliant', clr_duplicate_of: undefined },
  },
  // Same email as 1063 once normalised → duplicate:1063 (its untrimmed email still passes "non-empty").
  // SQL without clr_sal_date → skipped:sal; engagement 38 h after MQL → follow-up; no SAL → acceptance.
  'contact:1241': {
    codes: ['duplicate:1063', 'sla_breached:lead_acceptance', 'sla_breached:lead_follow_up', 'stage_gap:skipped:sal'],
    properties: { clr_compliance_score: '83', clr_duplicate_of: '1063', clr_stage_integrity: 'skipped_stage' },
  },
  // History … opportunity (01-02), customer (01-06), opportunity (01-08) → backward:customer>opportunity.
  // Engagement 11-10T19 is 49 h after MQL 11-08T18 → follow-up; SAL 19 h after MQL → acceptance kept.
  // Opportunity's entered-at is its date-entered property 2026-01-02T23 → 302 days.
  'contact:1495': {
    codes: ['sla_breached:lead_follow_up', 'stage_gap:backward:customer>opportunity'],
    properties: { clr_compliance_score: '83', clr_stage_integrity: 'backward_move', clr_days_in_stage: '302' },
  },
  // marketingqualifiedlead + clr_sal_date → current stage SAL (product line not yet required: 4 rows
  // + stages). History SQL (07-22) → marketingqualifiedlead (07-25) reads as sql → mql: backward.
  // Engagement 6 h and SAL 24 h after MQL: both SLAs kept. SAL since 06-16T06 → 137 days.
  'contact:1580': {
    codes: ['stage_gap:backward:sql>mql'],
    properties: {
      clr_compliance_status: 'invalid',
      clr_compliance_score: '80',
      clr_days_in_stage: '137',
      clr_sla_breached: 'false',
    },
  },
  // clr_channel "Google Ads" (v1 maps no legacy value) → invalid; no product line at SQL → missing.
  // History SQL → opportunity (03-14) → SQL (03-18) → backward:opportunity>sql. No engagement →
  // follow-up; SAL 32 h after MQL → acceptance kept. Rows 6, 3 pass → 50.
  'contact:1647': {
    codes: [
      'invalid_value:clr_channel',
      'missing_field:clr_product_line',
      'sla_breached:lead_follow_up',
      'stage_gap:backward:opportunity>sql',
    ],
    properties: {
      clr_compliance_status: 'invalid',
      clr_compliance_score: '50',
      clr_missing_fields: 'clr_product_line',
      clr_days_in_stage: '244',
    },
  },
  // clr_icp_tier "A" → invalid. Opportunity's property (10-23T14) beats its history (11-28) and is
  // before SQL (10-25T14) → out_of_order:opportunity. SAL 10-24T12 is 83 h after MQL 10-21T01 →
  // acceptance; engagement 2 h after MQL → follow-up kept.
  'contact:1467': {
    codes: ['invalid_value:clr_icp_tier', 'sla_breached:lead_acceptance', 'stage_gap:out_of_order:opportunity'],
    properties: { clr_compliance_score: '67', clr_stage_integrity: 'out_of_order', clr_days_in_stage: '8' },
  },
  // Opportunity with no SQL date and no salesqualifiedlead in its history → skipped:sql. SAL 64 h
  // after MQL → acceptance; engagement 18 h after → follow-up kept.
  'contact:1080': {
    codes: ['sla_breached:lead_acceptance', 'stage_gap:skipped:sql'],
    properties: { clr_compliance_score: '83', clr_stage_integrity: 'skipped_stage' },
  },
  // SQL date property 03-25T01 (history 04-24 loses) is before SAL 03-27T03 → out_of_order:sql.
  // Engagement 46 h after MQL 03-26T01 → follow-up; SAL 26 h after → acceptance kept.
  'contact:1457': {
    codes: ['sla_breached:lead_follow_up', 'stage_gap:out_of_order:sql'],
    properties: { clr_compliance_score: '83', clr_stage_integrity: 'out_of_order' },
  },

  // Proposal deal with no associated contact → missing_join_key:contact. In Proposal since
  // 2026-01-09 → stalled. Rows: amount, closedate, product line, sla scope, buyer, stages = 6 → 83.
  'deal:1386': {
    codes: ['missing_join_key:contact', 'sla_breached:deal_stall'],
    properties: {
      clr_compliance_status: 'incomplete',
      clr_compliance_score: '83',
      clr_missing_join_keys: 'contact',
      clr_missing_fields: undefined,
      clr_sla_breached: 'true',
      clr_days_in_stage: '295',
    },
  },
  // Closed Won without amount → missing_field:amount; without clr_contract_id →
  // missing_join_key:clr_contract_id. 8 checks, 6 pass → 75. Closed deals do not stall.
  'deal:1269': {
    codes: ['missing_field:amount', 'missing_join_key:clr_contract_id'],
    properties: {
      clr_compliance_status: 'incomplete',
      clr_compliance_score: '75',
      clr_missing_fields: 'amount',
      clr_missing_join_keys: 'clr_contract_id',
      clr_sla_breached: 'false',
      clr_days_in_stage: '173',
    },
  },
  // clr_product_line "Cloud" → invalid; no closedate → missing. Discovery since 10-11T15 (its
  // earliest value, appointmentscheduled): 20 days, under 30 → no stall. 5 checks, 3 pass → 60.
  'deal:1235': {
    codes: ['invalid_value:clr_product_line', 'missing_field:closedate'],
    properties: {
      clr_compliance_status: 'invalid',
      clr_compliance_score: '60',
      clr_days_in_stage: '20',
      clr_sla_breached: 'false',
    },
  },
  // Closed Won without clr_win_reason → missing; everything else set. 7/8 = 87.5 → 88.
  'deal:1635': {
    codes: ['missing_field:clr_win_reason'],
    properties: { clr_compliance_score: '88', clr_missing_fields: 'clr_win_reason' },
  },
  // Proposal (decisionmakerboughtin) without clr_sla_scope → missing. Proposal entered at its
  // earliest value, presentationscheduled 03-08 → 237 days, stalled.
  'deal:1430': {
    codes: ['missing_field:clr_sla_scope', 'sla_breached:deal_stall'],
    properties: { clr_compliance_score: '83', clr_days_in_stage: '237' },
  },
  // Closed Lost without amount → missing. No Proposal row (lost comes after Discovery only), no win
  // reason, no contract id; loss reason "price" is valid. Rows: 3 + loss reason + buyer + stages = 6.
  'deal:1111': {
    codes: ['missing_field:amount'],
    properties: { clr_compliance_score: '83', clr_missing_join_keys: undefined },
  },
  // Closed Won in 2027 (after now), no amount → missing. Days clamped to 0.
  'deal:1657': {
    codes: ['missing_field:amount'],
    properties: { clr_compliance_score: '88', clr_days_in_stage: '0' },
  },
  // Discovery entered 2026-11-10 (after now): no closedate → missing; cannot have stalled yet.
  'deal:1057': {
    codes: ['missing_field:closedate'],
    properties: { clr_compliance_score: '80', clr_days_in_stage: '0', clr_sla_breached: 'false' },
  },
  // Contract since 10-10T06: 21 days, no stall; every field and the buyer present.
  'deal:1567': {
    codes: [],
    properties: { clr_compliance_status: 'compliant', clr_compliance_score: '100', clr_days_in_stage: '21' },
  },

  // In delivery with no checklist item done (the fixture has no checklist state) → incomplete. Its
  // contract id CTR-48614 is not that of deal 1269 (none) → join_key_mismatch. Onboarding → In
  // delivery took 9 days → SLA kept. Checks: contract id, checklist, origin, match, stages → 3/5.
  'ticket:1270': {
    codes: ['checklist_incomplete', 'join_key_mismatch:clr_contract_id'],
    properties: {
      clr_compliance_status: 'invalid',
      clr_compliance_score: '60',
      clr_missing_join_keys: 'clr_contract_id',
      clr_handoff_pct: '0',
      clr_handoff_complete: 'false',
      clr_days_in_stage: '163',
    },
  },
  // Onboarding ticket with no deal → missing_join_key:deal (and no match to check). Onboarding since
  // 10-12 with no later stage: 20 days > 14 → breached. Checks: contract id, origin, stages → 2/3.
  'ticket:1285': {
    codes: ['missing_join_key:deal', 'sla_breached:onboarding'],
    properties: {
      clr_compliance_status: 'incomplete',
      clr_compliance_score: '67',
      clr_missing_join_keys: 'deal',
      clr_handoff_pct: '0',
    },
  },
  // Closed ticket: contract CTR-1199 matches deal 1199; checklist not done → incomplete. 4/5 = 80.
  'ticket:1200': {
    codes: ['checklist_incomplete'],
    properties: { clr_compliance_score: '80', clr_days_in_stage: '86', clr_sla_breached: 'false' },
  },
  // Results review (future dates): valid change reason adds a passing row; checklist not done. 5/6.
  'ticket:1149': {
    codes: ['checklist_incomplete'],
    properties: { clr_compliance_score: '83', clr_days_in_stage: '0', clr_handoff_complete: 'false' },
  },

  // "www.WAYNE2.EXAMPLE.COM" → wayne2.example.com, the domain of 1002 → duplicate:1002.
  'company:1038': { codes: ['duplicate:1002'], properties: { clr_duplicate_of: '1002' } },
  // "STARK30.EXAMPLE.COM" → stark30.example.com, the domain of 1030 → duplicate:1030.
  'company:1037': { codes: ['duplicate:1030'], properties: { clr_duplicate_of: '1030' } },
  // The survivor keeps its id and gets nothing.
  'company:1002': { codes: [], properties: { clr_duplicate_of: undefined } },
};

describe('the demo portal', () => {
  const demo = loadDemoPortal();
  const results = evaluatePortal(demo.records, DEFAULT_DEFINITIONS, demo.now);
  const byKey = new Map<string, RecordEvaluation>(results.map((r) => [`${r.objectType}:${r.objectId}`, r]));

  it('evaluates at the fixture’s own now', () => {
    expect(demo.now).toBe('2026-11-01T00:00:00.000Z');
  });

  it.each(Object.entries(EXPECTED))('%s', (key, expected) => {
    const result = byKey.get(key)!;
    expect(result.findings.map((f) => f.code)).toEqual(expected.codes);
    for (const [name, value] of Object.entries(expected.properties))
      expect([name, result.properties[name]]).toEqual([name, value]);
  });

  it('covers every finding code the portal produces with a record checked by hand', () => {
    const family = (code: string) => code.replace(/^duplicate:\d+$/, 'duplicate');
    const checked = new Set(Object.values(EXPECTED).flatMap((e) => e.codes.map(family)));
    const produced = new Set(results.flatMap((r) => r.findings.map((f) => family(f.code))));
    expect([...produced].filter((code) => !checked.has(code))).toEqual([]);
    expect(Object.keys(EXPECTED).length).toBeGreaterThanOrEqual(20);
  });

  it('finds exactly the six duplicate groups of the fixture', () => {
    // By reading the fixture: four emails held twice (the second copy upper-cased and padded) and two
    // domains written twice (upper case, and a leading www.).
    const duplicates = results.flatMap((r) =>
      r.findings.filter((f) => f.kind === 'duplicate').map((f) => `${r.objectType}:${r.objectId}→${f.code}`),
    );
    expect(duplicates).toEqual([
      'company:1037→duplicate:1030',
      'company:1038→duplicate:1002',
      'contact:1241→duplicate:1063',
      'contact:1255→duplicate:1087',
      'contact:1303→duplicate:1098',
      'contact:1488→duplicate:1104',
    ]);
  });

  it('puts every contact, deal and ticket of the fixture in scope, and no company', () => {
    // Every lifecyclestage is a mapped value, every deal is in pipeline default, every ticket in delivery.
    const inScope = (type: string) => results.filter((r) => r.objectType === type && r.inScope).length;
    expect([inScope('contact'), inScope('deal'), inScope('ticket'), inScope('company')]).toEqual([150, 25, 6, 0]);
  });

  it('gives every finding its schema’s shape and a proposed fix naming its record', () => {
    for (const result of results)
      for (const finding of result.findings) {
        expect(FindingSchema.parse(finding)).toEqual(finding);
        expect(finding.proposedFix.toLowerCase()).toContain(`${result.objectType} ${result.objectId}`);
      }
  });
});

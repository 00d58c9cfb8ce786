import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluatePortal,
  type Finding,
  type RecordEvaluation,
  type RecordInput,
} from '../../../server/domain/hygiene/index.ts';
import { D, HANDOFF_ITEMS, NOW } from './builders.ts';

/**
 * Properties over generated portals: records drawn from small pools of valid, invalid and empty
 * values, with histories (ties included), associations and checklist items, so that every rule
 * family fires often.
 */
const DAY = 86_400_000;
const START = Date.UTC(2025, 9, 1);
// Whole days or half days only, so that timestamps often tie.
const instant = fc
  .integer({ min: 0, max: 800 })
  .map((halfDays) => new Date(START + (halfDays * DAY) / 2).toISOString());
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const pick = <T>(...values: T[]) => fc.constantFrom(...values);

const LIFECYCLE = ['lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'subscriber'];
const DEALSTAGE = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
  'closedwon',
  'closedlost',
  'junk',
];
const TICKET_STAGE = ['onboarding', 'in_delivery', 'results_review', 'closed', '1'];

const props = (entries: Record<string, fc.Arbitrary<string | null | undefined>>) =>
  fc
    .record(entries)
    .map((values) =>
      Object.fromEntries(
        Object.entries(values).filter((entry): entry is [string, string | null] => entry[1] !== undefined),
      ),
    );

const contactProps = props({
  lifecyclestage: pick(...LIFECYCLE),
  email: pick('a@x.com', ' A@X.COM ', 'b@x.com', '', null),
  clr_channel: pick('email', 'Email', ' email', '', 'partner'),
  clr_offer_id: pick('OFF-1', ' ', undefined),
  clr_icp_tier: pick('tier_1', 'A', '', undefined),
  clr_product_line: pick('security', 'Cloud', undefined),
  clr_sal_date: maybe(instant),
  hs_sa_first_engagement_date: maybe(instant),
  hs_lifecyclestage_lead_date: maybe(instant),
  hs_lifecyclestage_marketingqualifiedlead_date: maybe(instant),
  hs_lifecyclestage_salesqualifiedlead_date: maybe(instant),
  hs_lifecyclestage_customer_date: maybe(instant),
});
const dealProps = props({
  pipeline: pick('default', 'default', 'default', 'renewals'),
  dealstage: pick(...DEALSTAGE),
  amount: pick('100', '0', '', 'x', '12.5', undefined),
  closedate: pick('2026-12-01', 'soon', undefined),
  clr_product_line: pick('security', 'Cloud', ''),
  clr_sla_scope: pick('24x7', ' ', undefined),
  clr_win_reason: pick('price', 'luck', undefined),
  clr_loss_reason: pick('timing', 'budget', undefined),
  clr_contract_id: pick('CTR-1', 'CTR-2', '', undefined),
  hs_date_entered_appointmentscheduled: maybe(instant),
  hs_date_entered_presentationscheduled: maybe(instant),
  hs_date_entered_contractsent: maybe(instant),
  hs_date_entered_closedwon: maybe(instant),
  hs_date_entered_closedlost: maybe(instant),
});
const ticketProps = props({
  hs_pipeline: pick('delivery', 'delivery', '0'),
  hs_pipeline_stage: pick(...TICKET_STAGE),
  clr_contract_id: pick('CTR-1', ' CTR-2 ', '', undefined),
  clr_change_request_reason: pick('defect', 'scope creep', ' ', undefined),
  hs_v2_date_entered_onboarding: maybe(instant),
  hs_v2_date_entered_in_delivery: maybe(instant),
});
const companyProps = props({ domain: pick('acme.com', 'www.ACME.com', 'beta.io', '', undefined) });

const PROPS = { contact: contactProps, deal: dealProps, ticket: ticketProps, company: companyProps };
const HISTORY_VALUES = { contact: LIFECYCLE, deal: DEALSTAGE, ticket: TICKET_STAGE, company: ['x'] };
const STAGE_PROPERTY = { contact: 'lifecyclestage', deal: 'dealstage', ticket: 'hs_pipeline_stage', company: 'none' };

const association = fc.record({
  objectType: pick('contact' as const, 'deal' as const, 'company' as const),
  id: fc.integer({ min: 1, max: 9 }).map(String),
  properties: props({ clr_contract_id: pick('CTR-1', 'CTR-2 ', '', undefined) }),
});

const recordOf = (objectType: RecordInput['objectType'], id: string): fc.Arbitrary<RecordInput> =>
  fc
    .record({
      properties: PROPS[objectType],
      history: fc.array(
        fc.record({ value: pick<string | null>(...HISTORY_VALUES[objectType], null), timestamp: instant }),
        {
          maxLength: 6,
        },
      ),
      associations: fc.uniqueArray(association, { maxLength: 3, selector: (a) => `${a.objectType}:${a.id}` }),
      done: fc.subarray([...HANDOFF_ITEMS, 'junk']),
    })
    .map(({ properties, history, associations, done }) => ({
      objectType,
      id,
      properties,
      createdAt: '2025-09-01T00:00:00.000Z',
      updatedAt: '2026-10-01T00:00:00.000Z',
      propertiesWithHistory: { [STAGE_PROPERTY[objectType]]: history.map((h) => ({ ...h, sourceType: 'CRM_UI' })) },
      associations,
      checklistItems: done.map((item) => ({ checklist: 'handoff', item, doneBy: 'x', doneAt: NOW })),
    }));

const portal = fc
  .uniqueArray(
    fc.record({
      objectType: pick('contact' as const, 'deal' as const, 'ticket' as const, 'company' as const),
      id: fc.integer({ min: 1, max: 2000 }),
    }),
    { minLength: 1, maxLength: 25, selector: (r) => `${r.objectType}:${r.id}` },
  )
  .chain((keys) => fc.tuple(...keys.map((k) => recordOf(k.objectType, String(k.id)))));

/** A permutation driven by a seed (a small LCG and Fisher–Yates), so fast-check can shrink it. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function reorder(records: readonly RecordInput[], seed: number): RecordInput[] {
  return shuffled(records, seed).map((r, i) => ({
    ...r,
    propertiesWithHistory: Object.fromEntries(
      Object.entries(r.propertiesWithHistory ?? {}).map(([name, entries]) => [name, shuffled(entries, seed + i)]),
    ),
    associations: shuffled(r.associations ?? [], seed + 2 * i + 1),
    checklistItems: shuffled(r.checklistItems ?? [], seed + 3 * i + 2),
  }));
}

describe('the engine as a function', () => {
  it('is deterministic: the same portal gives the same result', () => {
    fc.assert(
      fc.property(portal, (records) => {
        expect(evaluatePortal(structuredClone(records), D, NOW)).toEqual(evaluatePortal(records, D, NOW));
      }),
    );
  });

  it('does not depend on the order of records, history entries, associations or checklist items', () => {
    fc.assert(
      fc.property(portal, fc.nat(), (records, seed) => {
        expect(evaluatePortal(reorder(records, seed), D, NOW)).toEqual(evaluatePortal(records, D, NOW));
      }),
    );
  });

  it('returns records sorted by object and numeric id, findings sorted by code and unique', () => {
    fc.assert(
      fc.property(portal, (records) => {
        const results = evaluatePortal(records, D, NOW);
        const keys = results.map((r) => [r.objectType, BigInt(r.objectId)] as const);
        for (let i = 1; i < keys.length; i++) {
          const [a, b] = [keys[i - 1]!, keys[i]!];
          expect(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])).toBe(true);
        }
        for (const result of results) {
          const codes = result.findings.map((f) => f.code);
          expect(codes).toEqual([...new Set(codes)].sort());
        }
      }),
    );
  });
});

// The section 8 oracle, written from the specification's text rather than from the engine.
const INVALID = new Set(['invalid_value', 'join_key_mismatch', 'stage_gap']);
const INCOMPLETE = new Set(['missing_field', 'missing_join_key', 'checklist_incomplete']);
const set = (value: string | null | undefined) => (value ?? '').trim() !== '';

const CONTACT_RANK: Record<string, number> = { lead: 0, mql: 1, sal: 2, sql: 3, opportunity: 4, customer: 5 };
const CONTACT_STAGE: Record<string, string> = {
  lead: 'lead',
  marketingqualifiedlead: 'mql',
  salesqualifiedlead: 'sql',
  opportunity: 'opportunity',
  customer: 'customer',
};
const DEAL_STAGE: Record<string, string> = {
  appointmentscheduled: 'discovery',
  qualifiedtobuy: 'discovery',
  presentationscheduled: 'proposal',
  decisionmakerboughtin: 'proposal',
  contractsent: 'contract',
  closedwon: 'closed_won',
  closedlost: 'closed_lost',
};

function expectedStage(r: RecordInput): string | null {
  const p = r.properties;
  if (r.objectType === 'contact') {
    const stage = CONTACT_STAGE[p.lifecyclestage ?? ''];
    return stage === 'mql' && set(p.clr_sal_date) ? 'sal' : (stage ?? null);
  }
  if (r.objectType === 'deal') return p.pipeline === 'default' ? (DEAL_STAGE[p.dealstage ?? ''] ?? null) : null;
  if (r.objectType === 'ticket')
    return p.hs_pipeline === 'delivery' &&
      ['onboarding', 'in_delivery', 'results_review', 'closed'].includes(p.hs_pipeline_stage ?? '')
      ? p.hs_pipeline_stage!
      : null;
  return null;
}

/** Section 8's "applicable": the section-2 rows, the first four section-4 rows and one stage-integrity check. */
function expectedApplicable(r: RecordInput, stage: string): number {
  const p = r.properties;
  if (r.objectType === 'contact') return [0, 1, 1, 1, 3].filter((from) => from <= CONTACT_RANK[stage]!).length + 1;
  if (r.objectType === 'deal') {
    const won = stage === 'closed_won';
    const pastProposal = ['proposal', 'contract', 'closed_won'].includes(stage);
    return 3 + Number(pastProposal) + Number(won) + Number(stage === 'closed_lost') + 1 + Number(won) + 1;
  }
  const deals = (r.associations ?? []).filter((a) => a.objectType === 'deal').length;
  const delivering = stage !== 'onboarding';
  return (
    1 +
    Number(delivering) +
    Number(set(p.clr_change_request_reason)) +
    1 +
    Number(set(p.clr_contract_id) && deals > 0) +
    1
  );
}

function expectedStatus(findings: Finding[]): string {
  if (findings.some((f) => INVALID.has(f.kind))) return 'invalid';
  if (findings.some((f) => INCOMPLETE.has(f.kind))) return 'incomplete';
  return 'compliant';
}

function checkAgainstSection8(r: RecordInput, result: RecordEvaluation) {
  const stage = expectedStage(r);
  expect(result.stage).toBe(stage);
  if (stage === null) {
    expect(result.findings.every((f) => f.kind === 'duplicate')).toBe(true);
    expect(Object.keys(result.properties).filter((name) => name !== 'clr_duplicate_of')).toEqual([]);
    return;
  }
  const { findings, properties } = result;
  expect(properties.clr_compliance_status).toBe(expectedStatus(findings));

  const applicable = expectedApplicable(r, stage);
  const failedRows = findings.filter(
    (f) => f.kind !== 'stage_gap' && (INVALID.has(f.kind) || INCOMPLETE.has(f.kind)),
  ).length;
  const failed = failedRows + Number(findings.some((f) => f.kind === 'stage_gap'));
  const passed = applicable - failed;
  expect(result.score).toEqual({ applicable, passed });
  expect(properties.clr_compliance_score).toBe(String(Math.floor((100 * passed) / applicable + 0.5)));
  expect(properties.clr_compliance_status === 'compliant').toBe(properties.clr_compliance_score === '100');

  const missing = findings
    .filter((f) => f.kind === 'missing_field')
    .map((f) => f.field!)
    .sort();
  expect(properties.clr_missing_fields).toBe(missing.length === 0 ? undefined : missing.join(';'));
  expect(properties.clr_sla_breached).toBe(String(findings.some((f) => f.kind === 'sla_breached')));
  const gapKinds = findings.filter((f) => f.kind === 'stage_gap').map((f) => f.code.split(':')[1]);
  const integrity = gapKinds.includes('skipped')
    ? 'skipped_stage'
    : gapKinds.includes('backward')
      ? 'backward_move'
      : gapKinds.includes('out_of_order')
        ? 'out_of_order'
        : 'ok';
  expect(properties.clr_stage_integrity).toBe(integrity);
}

describe('section 8 against the findings', () => {
  it('status, score and lists always agree with the findings as section 8 defines them', () => {
    fc.assert(
      fc.property(portal, (records) => {
        const results = new Map(evaluatePortal(records, D, NOW).map((r) => [`${r.objectType}:${r.objectId}`, r]));
        for (const r of records) checkAgainstSection8(r, results.get(`${r.objectType}:${r.id}`)!);
      }),
      { numRuns: 300 },
    );
  });
});

describe('SLA outcomes against the findings', () => {
  it('an SLA is breached in the outcomes exactly when its sla_breached finding is there', () => {
    fc.assert(
      fc.property(portal, (records) => {
        for (const result of evaluatePortal(records, D, NOW)) {
          const breached = result.slas.filter((o) => o.breached).map((o) => `sla_breached:${o.sla}`);
          const found = result.findings.filter((f) => f.code.startsWith('sla_breached:')).map((f) => f.code);
          expect(breached.sort()).toEqual(found.sort());
          if (!result.inScope) expect(result.slas).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

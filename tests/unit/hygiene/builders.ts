import {
  evaluateRecord,
  RecordInputSchema,
  type AssociatedRecord,
  type RecordEvaluation,
  type RecordInput,
} from '../../../server/domain/hygiene/index.ts';
import { DEFAULT_DEFINITIONS, type Definitions } from '../../../server/domain/policy/index.ts';

/**
 * Small builders for the rule tests: a record that passes every check at a given stage, which a test
 * then breaks in exactly one way. Dates are hand-picked so that no SLA is near its limit at `NOW`.
 */
export const NOW = '2026-11-01T00:00:00.000Z';
export const D = DEFAULT_DEFINITIONS;

export type Props = Record<string, string | null>;
type Extra = {
  id?: string;
  /** Stage property history, OLDEST first for readability; stored newest first, as HubSpot sends it. */
  history?: [string | null, string][];
  associations?: AssociatedRecord[];
  /** Checklist item ids done on the `handoff` checklist. */
  done?: string[];
};

export function record(objectType: RecordInput['objectType'], properties: Props, extra: Extra = {}): RecordInput {
  const stageProperty = objectType === 'company' ? undefined : D.stages[objectType].stageProperty;
  return RecordInputSchema.parse({
    objectType,
    id: extra.id ?? '101',
    properties,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-10-31T00:00:00.000Z',
    propertiesWithHistory:
      stageProperty === undefined || extra.history === undefined
        ? {}
        : {
            [stageProperty]: [...extra.history]
              .reverse()
              .map(([value, timestamp]) => ({ value, timestamp, sourceType: 'CRM_UI' })),
          },
    associations: extra.associations ?? [],
    checklistItems: (extra.done ?? []).map((item) => ({
      checklist: 'handoff',
      item,
      doneBy: 'ana.ruiz@example.com',
      doneAt: '2026-10-26T00:00:00.000Z',
    })),
  });
}

export function evaluate(input: RecordInput, definitions: Definitions = D, now: string = NOW): RecordEvaluation {
  return evaluateRecord(input, definitions, now);
}

export function codes(input: RecordInput, definitions: Definitions = D, now: string = NOW): string[] {
  return evaluate(input, definitions, now).findings.map((finding) => finding.code);
}

// Contacts ----------------------------------------------------------------------------------------

export const CONTACT_STAGES = ['lead', 'mql', 'sal', 'sql', 'opportunity', 'customer'] as const;
export type ContactStage = (typeof CONTACT_STAGES)[number];
const LIFECYCLE: Record<ContactStage, string> = {
  lead: 'lead',
  mql: 'marketingqualifiedlead',
  sal: 'marketingqualifiedlead',
  sql: 'salesqualifiedlead',
  opportunity: 'opportunity',
  customer: 'customer',
};
export const CONTACT_DATES: Record<ContactStage, string> = {
  lead: '2026-10-01T00:00:00.000Z',
  mql: '2026-10-02T00:00:00.000Z',
  sal: '2026-10-03T00:00:00.000Z',
  sql: '2026-10-04T00:00:00.000Z',
  opportunity: '2026-10-05T00:00:00.000Z',
  customer: '2026-10-06T00:00:00.000Z',
};

/** A contact at `stage` meeting every rule: fields, dates of every stage so far, a prompt follow-up. */
export function goodContact(stage: ContactStage, overrides: Props = {}, extra: Extra = {}): RecordInput {
  const reached = CONTACT_STAGES.slice(0, CONTACT_STAGES.indexOf(stage) + 1);
  const properties: Props = {
    email: 'ana@example.com',
    lifecyclestage: LIFECYCLE[stage],
    clr_channel: 'email',
    clr_offer_id: 'OFF-1',
    clr_icp_tier: 'tier_1',
    clr_product_line: 'security',
    hs_sa_first_engagement_date: '2026-10-02T01:00:00.000Z',
  };
  const history: [string, string][] = [];
  for (const s of reached) {
    if (s === 'sal') properties.clr_sal_date = CONTACT_DATES.sal;
    else {
      properties[`hs_lifecyclestage_${LIFECYCLE[s]}_date`] = CONTACT_DATES[s];
      history.push([LIFECYCLE[s], CONTACT_DATES[s]]);
    }
  }
  return record('contact', { ...properties, ...overrides }, { history, ...extra });
}

// Deals -------------------------------------------------------------------------------------------

export const DEAL_STAGES = ['discovery', 'proposal', 'contract', 'closed_won', 'closed_lost'] as const;
export type DealStage = (typeof DEAL_STAGES)[number];
const DEALSTAGE: Record<DealStage, string> = {
  discovery: 'appointmentscheduled',
  proposal: 'presentationscheduled',
  contract: 'contractsent',
  closed_won: 'closedwon',
  closed_lost: 'closedlost',
};
export const DEAL_DATES: Record<DealStage, string> = {
  discovery: '2026-10-20T00:00:00.000Z',
  proposal: '2026-10-22T00:00:00.000Z',
  contract: '2026-10-24T00:00:00.000Z',
  closed_won: '2026-10-26T00:00:00.000Z',
  closed_lost: '2026-10-26T00:00:00.000Z',
};
const DEAL_PATH: Record<DealStage, DealStage[]> = {
  discovery: ['discovery'],
  proposal: ['discovery', 'proposal'],
  contract: ['discovery', 'proposal', 'contract'],
  closed_won: ['discovery', 'proposal', 'contract', 'closed_won'],
  closed_lost: ['discovery', 'closed_lost'],
};

export const BUYER: AssociatedRecord = { objectType: 'contact', id: '201', properties: {} };

export function goodDeal(stage: DealStage, overrides: Props = {}, extra: Extra = {}): RecordInput {
  const properties: Props = {
    pipeline: 'default',
    dealstage: DEALSTAGE[stage],
    amount: '1000',
    closedate: '2026-12-01T00:00:00.000Z',
    clr_product_line: 'security',
    clr_sla_scope: '99.9% uptime',
    clr_win_reason: 'price',
    clr_loss_reason: 'price',
    clr_contract_id: 'CTR-1',
  };
  const history: [string, string][] = [];
  for (const s of DEAL_PATH[stage]) {
    properties[`hs_date_entered_${DEALSTAGE[s]}`] = DEAL_DATES[s];
    history.push([DEALSTAGE[s], DEAL_DATES[s]]);
  }
  return record('deal', { ...properties, ...overrides }, { history, associations: [BUYER], ...extra });
}

// Tickets -----------------------------------------------------------------------------------------

export const TICKET_STAGES = ['onboarding', 'in_delivery', 'results_review', 'closed'] as const;
export type TicketStage = (typeof TICKET_STAGES)[number];
export const TICKET_DATES: Record<TicketStage, string> = {
  onboarding: '2026-10-20T00:00:00.000Z',
  in_delivery: '2026-10-25T00:00:00.000Z',
  results_review: '2026-10-28T00:00:00.000Z',
  closed: '2026-10-30T00:00:00.000Z',
};
export const HANDOFF_ITEMS = [
  'scope_confirmed',
  'sla_recorded',
  'timeline_assumptions',
  'access_plan',
  'stakeholders',
  'success_criteria',
  'kickoff_scheduled',
];
export const ORIGIN: AssociatedRecord = { objectType: 'deal', id: '301', properties: { clr_contract_id: 'CTR-1' } };

export function goodTicket(stage: TicketStage, overrides: Props = {}, extra: Extra = {}): RecordInput {
  const properties: Props = { hs_pipeline: 'delivery', hs_pipeline_stage: stage, clr_contract_id: 'CTR-1' };
  const history: [string, string][] = [];
  for (const s of TICKET_STAGES.slice(0, TICKET_STAGES.indexOf(stage) + 1)) {
    properties[`hs_v2_date_entered_${s}`] = TICKET_DATES[s];
    history.push([s, TICKET_DATES[s]]);
  }
  return record(
    'ticket',
    { ...properties, ...overrides },
    { history, associations: [ORIGIN], done: HANDOFF_ITEMS, ...extra },
  );
}

/** The definitions with one part replaced: what an admin's edit produces. */
export function edited(change: (draft: Definitions) => void): Definitions {
  const draft = structuredClone(D) as Definitions;
  change(draft);
  return draft;
}

/** The codes `broken` has that `base` does not, asserting it lost none: what one change added. */
export function addedCodes(base: RecordInput, broken: RecordInput, definitions: Definitions = D): string[] {
  const before = codes(base, definitions);
  const after = codes(broken, definitions);
  const lost = before.filter((code) => !after.includes(code));
  if (lost.length > 0) throw new Error(`the change also removed ${lost.join(', ')}`);
  return after.filter((code) => !before.includes(code));
}

import type { CrmObject, PortalFixture } from '../../bench/fixture-schema.ts';

/**
 * Just enough of the default policy (default-policy.md) to tell whether a generated fixture exercises
 * each rule: stage mapping, entered-at, skipped stages, backward moves, out-of-order timestamps and SLAs.
 * Independent of the app's hygiene engine on purpose: the fixture must not be shaped by the code it tests.
 */

export type ObjectKind = 'contacts' | 'deals' | 'tickets';

type StageTable = {
  /** Closed-loop stages in order (deals: Closed Lost sits apart, after Discovery only). */
  order: readonly string[];
  stageProperty: string;
  stageOf(value: string): string | undefined;
  dateProperty(value: string): string;
  /** HubSpot values of a closed-loop stage. */
  valuesOf(stage: string): readonly string[];
};

const CONTACT_VALUES: Record<string, string> = {
  lead: 'lead',
  marketingqualifiedlead: 'mql',
  salesqualifiedlead: 'sql',
  opportunity: 'opportunity',
  customer: 'customer',
};
const DEAL_VALUES: Record<string, string> = {
  appointmentscheduled: 'discovery',
  qualifiedtobuy: 'discovery',
  presentationscheduled: 'proposal',
  decisionmakerboughtin: 'proposal',
  contractsent: 'contract',
  closedwon: 'closed_won',
  closedlost: 'closed_lost',
};
const TICKET_STAGES = ['onboarding', 'in_delivery', 'results_review', 'closed'];

const valuesOf = (table: Record<string, string>) => (stage: string) =>
  Object.keys(table).filter((value) => table[value] === stage);

export const TABLES: Record<ObjectKind, StageTable> = {
  contacts: {
    order: ['lead', 'mql', 'sal', 'sql', 'opportunity', 'customer'],
    stageProperty: 'lifecyclestage',
    stageOf: (value) => CONTACT_VALUES[value],
    dateProperty: (value) => `hs_lifecyclestage_${value}_date`,
    valuesOf: valuesOf(CONTACT_VALUES),
  },
  deals: {
    order: ['discovery', 'proposal', 'contract', 'closed_won', 'closed_lost'],
    stageProperty: 'dealstage',
    stageOf: (value) => DEAL_VALUES[value],
    dateProperty: (value) => `hs_date_entered_${value}`,
    valuesOf: valuesOf(DEAL_VALUES),
  },
  tickets: {
    order: TICKET_STAGES,
    stageProperty: 'hs_pipeline_stage',
    stageOf: (value) => (TICKET_STAGES.includes(value) ? value : undefined),
    dateProperty: (value) => `hs_v2_date_entered_${value}`,
    valuesOf: (stage) => [stage],
  },
};

export const blank = (value: string | undefined) => value === undefined || value.trim() === '';
const time = (value: string | undefined) => (blank(value) ? undefined : Date.parse(value ?? ''));

export function inScope(kind: ObjectKind, o: CrmObject): boolean {
  const p = o.properties;
  if (kind === 'deals') return p.pipeline === 'default';
  if (kind === 'tickets') return p.hs_pipeline === 'delivery';
  return TABLES.contacts.stageOf(p.lifecyclestage ?? '') !== undefined;
}

export function history(kind: ObjectKind, o: CrmObject) {
  return o.propertiesWithHistory?.[TABLES[kind].stageProperty] ?? [];
}

/** Entered-at of a closed-loop stage: the earliest entered-at of its HubSpot values (date property, else history). */
export function enteredAt(kind: ObjectKind, o: CrmObject, stage: string): number | undefined {
  if (kind === 'contacts' && stage === 'sal') return time(o.properties.clr_sal_date);
  const table = TABLES[kind];
  const times: number[] = [];
  for (const value of table.valuesOf(stage)) {
    const fromProperty = time(o.properties[table.dateProperty(value)]);
    const fromHistory = history(kind, o)
      .filter((h) => h.value === value)
      .map((h) => Date.parse(h.timestamp));
    const at = fromProperty ?? (fromHistory.length > 0 ? Math.min(...fromHistory) : undefined);
    if (at !== undefined) times.push(at);
  }
  return times.length > 0 ? Math.min(...times) : undefined;
}

export function currentStage(kind: ObjectKind, o: CrmObject): string | undefined {
  const table = TABLES[kind];
  const stage = table.stageOf(o.properties[table.stageProperty] ?? '');
  if (kind === 'contacts' && stage === 'mql' && !blank(o.properties.clr_sal_date)) return 'sal';
  return stage;
}

/** "At stage X or later": by the order; for deals, Closed Lost is later than Discovery only. */
export function atOrAfter(kind: ObjectKind, current: string | undefined, stage: string): boolean {
  if (current === undefined) return false;
  if (kind === 'deals' && (current === 'closed_lost' || stage === 'closed_lost')) {
    return current === stage || (current === 'closed_lost' && stage === 'discovery');
  }
  const order = TABLES[kind].order;
  return order.indexOf(current) >= order.indexOf(stage);
}

/** Stages the current stage expects entered before it (the chain of earlier stages). */
function earlierStages(kind: ObjectKind, stage: string): string[] {
  if (kind === 'deals') {
    if (stage === 'closed_lost') return ['discovery'];
    return ['discovery', 'proposal', 'contract', 'closed_won'].slice(
      0,
      ['discovery', 'proposal', 'contract', 'closed_won'].indexOf(stage),
    );
  }
  const order = TABLES[kind].order;
  return order.slice(0, order.indexOf(stage));
}

export function skippedStages(kind: ObjectKind, o: CrmObject): string[] {
  const current = currentStage(kind, o);
  if (current === undefined) return [];
  const expected = earlierStages(kind, current).filter(
    (s) => !(kind === 'contacts' && s === 'sal' && !atOrAfter(kind, current, 'sql')),
  );
  return expected.filter((s) => enteredAt(kind, o, s) === undefined);
}

function isEarlier(kind: ObjectKind, a: string, b: string): boolean {
  if (kind === 'deals' && (a === 'closed_lost' || b === 'closed_lost')) return a === 'discovery' && b === 'closed_lost';
  const order = TABLES[kind].order;
  return order.indexOf(a) < order.indexOf(b);
}

/** `from>to` pairs of backward moves, walking the stage history oldest first. */
export function backwardMoves(kind: ObjectKind, o: CrmObject): string[] {
  const stages = history(kind, o)
    .toReversed()
    .map((h) => TABLES[kind].stageOf(h.value))
    .filter((s) => s !== undefined);
  const pairs = new Set<string>();
  for (let i = 1; i < stages.length; i++) {
    const [previous, current] = [stages[i - 1] ?? '', stages[i] ?? ''];
    if (isEarlier(kind, current, previous)) pairs.add(`${previous}>${current}`);
  }
  return [...pairs];
}

/** Entered stages whose entered-at is earlier than that of the nearest earlier entered stage. */
export function outOfOrderStages(kind: ObjectKind, o: CrmObject): string[] {
  const found: string[] = [];
  for (const stage of TABLES[kind].order) {
    const at = enteredAt(kind, o, stage);
    if (at === undefined) continue;
    const nearest = earlierStages(kind, stage)
      .toReversed()
      .find((s) => enteredAt(kind, o, s) !== undefined);
    const before = nearest === undefined ? undefined : enteredAt(kind, o, nearest);
    if (before !== undefined && at < before) found.push(stage);
  }
  return found;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The SLA ids of section 6 the record breaches at `now`. */
export function slaBreaches(kind: ObjectKind, o: CrmObject, now: number): string[] {
  const breaches: string[] = [];
  if (kind === 'contacts') {
    const mql = enteredAt(kind, o, 'mql');
    if (mql === undefined) return breaches;
    const engaged = time(o.properties.hs_sa_first_engagement_date);
    if (engaged === undefined ? now - mql > 24 * HOUR : engaged - mql > 24 * HOUR) breaches.push('lead_follow_up');
    const sal = enteredAt(kind, o, 'sal');
    if (sal === undefined ? now - mql > 48 * HOUR : sal - mql > 48 * HOUR) breaches.push('lead_acceptance');
  }
  if (kind === 'deals') {
    const current = currentStage(kind, o);
    const at = current === undefined ? undefined : enteredAt(kind, o, current);
    if (current && ['discovery', 'proposal', 'contract'].includes(current) && at !== undefined && now - at > 30 * DAY) {
      breaches.push('deal_stall');
    }
  }
  if (kind === 'tickets') {
    const onboarding = enteredAt(kind, o, 'onboarding');
    if (onboarding === undefined) return breaches;
    const later = ['in_delivery', 'results_review', 'closed']
      .map((s) => enteredAt(kind, o, s))
      .filter((t) => t !== undefined);
    const next = later.length > 0 ? Math.min(...later) : undefined;
    if (next === undefined ? now - onboarding > 14 * DAY : next - onboarding > 14 * DAY) breaches.push('onboarding');
  }
  return breaches;
}

/** The policy's medium table (section 3), every value of every row. */
export const MAPPED_MEDIUMS = [
  'cpc', 'ppc', 'paid_search', 'paid_social', 'social_paid', 'paidsocial', 'email', 'newsletter', 'referral', 'partner',
  'event', 'events', 'webinar', 'social', 'organic_social', 'organic', 'outbound', 'sdr',
]; // prettier-ignore

export const PICKLIST_OPTIONS: Record<string, readonly string[]> = {
  channel: ['paid_search', 'paid_social', 'organic_search', 'organic_social', 'email', 'referral', 'partner', 'events', 'direct', 'outbound', 'other'],
  icp_tier: ['tier_1', 'tier_2', 'tier_3', 'not_icp'],
  product_line: ['managed_services', 'cloud_migration', 'security', 'data_platform', 'support_retainer'],
  win_reason: ['price', 'capability_fit', 'relationship', 'timeline', 'partner_influence', 'other'],
  loss_reason: ['price', 'no_decision', 'competitor', 'capability_gap', 'timing', 'not_a_fit', 'other'],
  change_request_reason: ['scope_gap_in_discovery', 'new_requirement', 'timeline_change', 'access_or_readiness', 'stakeholder_change', 'defect', 'other'],
}; // prettier-ignore

export type RequiredFieldRow = {
  kind: ObjectKind;
  /** The row applies at this stage or later; `only` rows apply at exactly this stage. */
  from: string;
  only?: boolean;
  field: string;
  rule: 'non_empty' | 'number' | 'date' | { picklist: string };
  /** The row applies only when the field is set (change request reason). */
  whenSet?: boolean;
};

/** Section 2, without the handoff checklist (stored by the app, not in the fixture). */
export const REQUIRED_FIELDS: readonly RequiredFieldRow[] = [
  { kind: 'contacts', from: 'lead', field: 'email', rule: 'non_empty' },
  { kind: 'contacts', from: 'mql', field: 'clr_channel', rule: { picklist: 'channel' } },
  { kind: 'contacts', from: 'mql', field: 'clr_offer_id', rule: 'non_empty' },
  { kind: 'contacts', from: 'mql', field: 'clr_icp_tier', rule: { picklist: 'icp_tier' } },
  { kind: 'contacts', from: 'sql', field: 'clr_product_line', rule: { picklist: 'product_line' } },
  { kind: 'deals', from: 'discovery', field: 'amount', rule: 'number' },
  { kind: 'deals', from: 'discovery', field: 'closedate', rule: 'date' },
  { kind: 'deals', from: 'discovery', field: 'clr_product_line', rule: { picklist: 'product_line' } },
  { kind: 'deals', from: 'proposal', field: 'clr_sla_scope', rule: 'non_empty' },
  { kind: 'deals', from: 'closed_won', only: true, field: 'clr_win_reason', rule: { picklist: 'win_reason' } },
  { kind: 'deals', from: 'closed_lost', only: true, field: 'clr_loss_reason', rule: { picklist: 'loss_reason' } },
  { kind: 'tickets', from: 'onboarding', field: 'clr_contract_id', rule: 'non_empty' },
  {
    kind: 'tickets',
    from: 'onboarding',
    field: 'clr_change_request_reason',
    rule: { picklist: 'change_request_reason' },
    whenSet: true,
  },
];

export function rowApplies(row: RequiredFieldRow, o: CrmObject): boolean {
  if (!inScope(row.kind, o)) return false;
  const current = currentStage(row.kind, o);
  if (row.whenSet && blank(o.properties[row.field])) return false;
  return row.only ? current === row.from : atOrAfter(row.kind, current, row.from);
}

/** `missing` (empty, or not a number > 0, or not a date), `invalid` (outside the picklist) or undefined. */
export function fieldProblem(row: RequiredFieldRow, o: CrmObject): 'missing' | 'invalid' | undefined {
  const value = o.properties[row.field];
  if (blank(value)) return 'missing';
  const text = value ?? '';
  if (row.rule === 'number') return Number(text.trim()) > 0 ? undefined : 'missing';
  if (row.rule === 'date') return Number.isNaN(Date.parse(text)) ? 'missing' : undefined;
  if (row.rule === 'non_empty') return undefined;
  return PICKLIST_OPTIONS[row.rule.picklist]?.includes(text) ? undefined : 'invalid';
}

/** Associated ids of `toType` per id of `fromType`, both directions, as the sandbox answers them. */
export function associationIndex(fixture: PortalFixture, fromType: string, toType: string): Map<string, string[]> {
  const index = new Map<string, string[]>();
  const add = (from: string, to: string) => index.set(from, [...(index.get(from) ?? []), to]);
  for (const a of fixture.associations) {
    if (a.from.type === fromType && a.to.type === toType) add(a.from.id, a.to.id);
    if (a.to.type === fromType && a.from.type === toType) add(a.to.id, a.from.id);
  }
  return index;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
export const normalizeDomain = (domain: string) =>
  domain
    .trim()
    .toLowerCase()
    .replace(/^www\./, '');

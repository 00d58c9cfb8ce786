import type { Definitions } from './schema.ts';
import { DEFINITIONS_FORMAT } from './schema.ts';

/**
 * Version 1: the policy a portal gets on install, before an admin changes anything. It transcribes
 * the default-policy specification, sections 1–9; where the specification names no label or HubSpot
 * type (option labels, property labels and field types) the choice is ours and kept plain.
 */
export const DEFAULT_DEFINITIONS_VERSION = 1;

/** A channel option, labelled for people. */
const opt = (value: string, label: string) => ({ value, label });

const stages: Definitions['stages'] = {
  contact: {
    stageProperty: 'lifecyclestage',
    pipelineProperty: null,
    dateEnteredProperty: 'hs_lifecyclestage_<stageId>_date',
    stages: [
      { id: 'lead', label: 'Lead' },
      { id: 'mql', label: 'MQL' },
      {
        id: 'sal',
        label: 'SAL',
        condition: { property: 'clr_sal_date', is: 'set' },
        enteredAtProperty: 'clr_sal_date',
      },
      { id: 'sql', label: 'SQL' },
      { id: 'opportunity', label: 'Opportunity' },
      { id: 'customer', label: 'Customer' },
    ],
    order: [['lead', 'mql', 'sal', 'sql', 'opportunity', 'customer']],
    pipelines: [
      {
        id: null,
        values: {
          lead: ['lead'],
          mql: ['marketingqualifiedlead'],
          sal: ['marketingqualifiedlead'],
          sql: ['salesqualifiedlead'],
          opportunity: ['opportunity'],
          customer: ['customer'],
        },
      },
    ],
  },
  deal: {
    stageProperty: 'dealstage',
    pipelineProperty: 'pipeline',
    dateEnteredProperty: 'hs_date_entered_<stageId>',
    stages: [
      { id: 'discovery', label: 'Discovery' },
      { id: 'proposal', label: 'Proposal' },
      { id: 'contract', label: 'Contract' },
      { id: 'closed_won', label: 'Closed Won' },
      { id: 'closed_lost', label: 'Closed Lost' },
    ],
    order: [
      ['discovery', 'proposal', 'contract', 'closed_won'],
      ['discovery', 'closed_lost'],
    ],
    pipelines: [
      {
        id: 'default',
        values: {
          discovery: ['appointmentscheduled', 'qualifiedtobuy'],
          proposal: ['presentationscheduled', 'decisionmakerboughtin'],
          contract: ['contractsent'],
          closed_won: ['closedwon'],
          closed_lost: ['closedlost'],
        },
      },
    ],
  },
  ticket: {
    stageProperty: 'hs_pipeline_stage',
    pipelineProperty: 'hs_pipeline',
    dateEnteredProperty: 'hs_v2_date_entered_<stageId>',
    stages: [
      { id: 'onboarding', label: 'Onboarding' },
      { id: 'in_delivery', label: 'In delivery' },
      { id: 'results_review', label: 'Results review' },
      { id: 'closed', label: 'Closed' },
    ],
    order: [['onboarding', 'in_delivery', 'results_review', 'closed']],
    pipelines: [
      {
        id: 'delivery',
        values: {
          onboarding: ['onboarding'],
          in_delivery: ['in_delivery'],
          results_review: ['results_review'],
          closed: ['closed'],
        },
      },
    ],
  },
};

const requiredFields: Definitions['requiredFields'] = [
  { object: 'contact', stage: 'lead', applies: 'from', field: 'email', rule: 'non_empty' },
  { object: 'contact', stage: 'mql', applies: 'from', field: 'clr_channel', rule: 'picklist:channel' },
  { object: 'contact', stage: 'mql', applies: 'from', field: 'clr_offer_id', rule: 'non_empty' },
  { object: 'contact', stage: 'mql', applies: 'from', field: 'clr_icp_tier', rule: 'picklist:icp_tier' },
  { object: 'contact', stage: 'sql', applies: 'from', field: 'clr_product_line', rule: 'picklist:product_line' },
  { object: 'deal', stage: 'discovery', applies: 'from', field: 'amount', rule: 'positive_number' },
  { object: 'deal', stage: 'discovery', applies: 'from', field: 'closedate', rule: 'date' },
  { object: 'deal', stage: 'discovery', applies: 'from', field: 'clr_product_line', rule: 'picklist:product_line' },
  { object: 'deal', stage: 'proposal', applies: 'from', field: 'clr_sla_scope', rule: 'non_empty' },
  { object: 'deal', stage: 'closed_won', applies: 'only', field: 'clr_win_reason', rule: 'picklist:win_reason' },
  { object: 'deal', stage: 'closed_lost', applies: 'only', field: 'clr_loss_reason', rule: 'picklist:loss_reason' },
  { object: 'ticket', stage: 'onboarding', applies: 'from', field: 'clr_contract_id', rule: 'non_empty' },
  { object: 'ticket', stage: 'in_delivery', applies: 'from', checklist: 'handoff' },
  {
    object: 'ticket',
    stage: 'onboarding',
    applies: 'from',
    field: 'clr_change_request_reason',
    rule: 'picklist:change_request_reason',
    onlyWhenSet: true,
  },
];

const picklists: Definitions['picklists'] = [
  {
    name: 'channel',
    label: 'Channel',
    options: [
      opt('paid_search', 'Paid search'),
      opt('paid_social', 'Paid social'),
      opt('organic_search', 'Organic search'),
      opt('organic_social', 'Organic social'),
      opt('email', 'Email'),
      opt('referral', 'Referral'),
      opt('partner', 'Partner'),
      opt('events', 'Events'),
      opt('direct', 'Direct'),
      opt('outbound', 'Outbound'),
      opt('other', 'Other'),
    ],
    legacyValues: [],
  },
  {
    name: 'icp_tier',
    label: 'ICP tier',
    options: [opt('tier_1', 'Tier 1'), opt('tier_2', 'Tier 2'), opt('tier_3', 'Tier 3'), opt('not_icp', 'Not ICP')],
    legacyValues: [],
  },
  {
    name: 'product_line',
    label: 'Product line',
    options: [
      opt('managed_services', 'Managed services'),
      opt('cloud_migration', 'Cloud migration'),
      opt('security', 'Security'),
      opt('data_platform', 'Data platform'),
      opt('support_retainer', 'Support retainer'),
    ],
    legacyValues: [],
  },
  {
    name: 'win_reason',
    label: 'Win reason',
    options: [
      opt('price', 'Price'),
      opt('capability_fit', 'Capability fit'),
      opt('relationship', 'Relationship'),
      opt('timeline', 'Timeline'),
      opt('partner_influence', 'Partner influence'),
      opt('other', 'Other'),
    ],
    legacyValues: [],
  },
  {
    name: 'loss_reason',
    label: 'Loss reason',
    options: [
      opt('price', 'Price'),
      opt('no_decision', 'No decision'),
      opt('competitor', 'Competitor'),
      opt('capability_gap', 'Capability gap'),
      opt('timing', 'Timing'),
      opt('not_a_fit', 'Not a fit'),
      opt('other', 'Other'),
    ],
    legacyValues: [],
  },
  {
    name: 'change_request_reason',
    label: 'Change request reason',
    options: [
      opt('scope_gap_in_discovery', 'Scope gap in discovery'),
      opt('new_requirement', 'New requirement'),
      opt('timeline_change', 'Timeline change'),
      opt('access_or_readiness', 'Access or readiness'),
      opt('stakeholder_change', 'Stakeholder change'),
      opt('defect', 'Defect'),
      opt('other', 'Other'),
    ],
    legacyValues: [],
  },
];

const channels: Definitions['channels'] = {
  picklist: 'channel',
  utmMedium: {
    map: {
      cpc: 'paid_search',
      ppc: 'paid_search',
      paid_search: 'paid_search',
      paid_social: 'paid_social',
      social_paid: 'paid_social',
      paidsocial: 'paid_social',
      email: 'email',
      newsletter: 'email',
      referral: 'referral',
      partner: 'partner',
      event: 'events',
      events: 'events',
      webinar: 'events',
      social: 'organic_social',
      organic_social: 'organic_social',
      organic: 'organic_search',
      outbound: 'outbound',
      sdr: 'outbound',
    },
    otherwise: 'other',
  },
  analyticsSource: {
    property: 'hs_analytics_source',
    map: {
      ORGANIC_SEARCH: 'organic_search',
      PAID_SEARCH: 'paid_search',
      EMAIL_MARKETING: 'email',
      SOCIAL_MEDIA: 'organic_social',
      PAID_SOCIAL: 'paid_social',
      REFERRALS: 'referral',
      DIRECT_TRAFFIC: 'direct',
      OFFLINE: 'outbound',
    },
    otherwise: 'other',
  },
  untrackable: 'other',
};

const joinKeys: Definitions['joinKeys'] = [
  { id: 'deal_has_buyer', label: 'Deal has a buyer', object: 'deal', kind: 'has_association', to: 'contact' },
  {
    id: 'won_deal_has_contract',
    label: 'Won deal has a contract',
    object: 'deal',
    atStage: { stage: 'closed_won', applies: 'from' },
    kind: 'non_empty',
    property: 'clr_contract_id',
  },
  { id: 'delivery_has_origin', label: 'Delivery has an origin', object: 'ticket', kind: 'has_association', to: 'deal' },
  {
    id: 'delivery_matches_contract',
    label: 'Delivery matches its contract',
    object: 'ticket',
    kind: 'matches_association',
    to: 'deal',
    property: 'clr_contract_id',
  },
];

const duplicates: Definitions['duplicates'] = [
  {
    id: 'contact_email',
    object: 'contact',
    property: 'email',
    normalise: ['trim', 'lowercase'],
    survivor: 'lowest_numeric_id',
  },
  {
    id: 'company_domain',
    object: 'company',
    property: 'domain',
    normalise: ['trim', 'lowercase', 'strip_leading_www'],
    survivor: 'lowest_numeric_id',
  },
];

const checklists: Definitions['checklists'] = [
  {
    id: 'handoff',
    label: 'Handoff checklist',
    object: 'ticket',
    items: [
      { id: 'scope_confirmed', label: 'Scope summary matches the proposal' },
      { id: 'sla_recorded', label: 'SLA commitments copied from the deal' },
      { id: 'timeline_assumptions', label: 'Timeline assumptions recorded' },
      { id: 'access_plan', label: 'Access and credentials plan' },
      { id: 'stakeholders', label: 'Stakeholder list with contacts' },
      { id: 'success_criteria', label: 'Success criteria agreed' },
      { id: 'kickoff_scheduled', label: 'Kickoff scheduled' },
    ],
  },
];

const slas: Definitions['slas'] = [
  {
    id: 'lead_follow_up',
    label: 'Lead follow-up',
    object: 'contact',
    start: { kind: 'stage_entered', stage: 'mql' },
    end: { kind: 'property', property: 'hs_sa_first_engagement_date' },
    threshold: { value: 24, unit: 'hours' },
  },
  {
    id: 'lead_acceptance',
    label: 'Lead acceptance',
    object: 'contact',
    start: { kind: 'stage_entered', stage: 'mql' },
    end: { kind: 'stage_entered', stage: 'sal' },
    threshold: { value: 48, unit: 'hours' },
  },
  {
    id: 'deal_stall',
    label: 'Deal stall',
    object: 'deal',
    atStages: ['discovery', 'proposal', 'contract'],
    start: { kind: 'current_stage_entered' },
    end: null,
    threshold: { value: 30, unit: 'days' },
  },
  {
    id: 'onboarding',
    label: 'Onboarding',
    object: 'ticket',
    start: { kind: 'stage_entered', stage: 'onboarding' },
    end: { kind: 'next_stage_entered', after: 'onboarding' },
    threshold: { value: 14, unit: 'days' },
  },
];

const attribution: Definitions['attribution'] = {
  lookbackDays: 365,
  unattributedChannel: 'unattributed',
  models: [
    { id: 'first_touch', label: 'First touch', enabled: true, kind: 'positional', weights: { first: 100 } },
    { id: 'last_touch', label: 'Last touch', enabled: true, kind: 'positional', weights: { last: 100 } },
    { id: 'linear', label: 'Linear', enabled: true, kind: 'linear' },
    {
      id: 'u_shaped',
      label: 'U-shaped',
      enabled: true,
      kind: 'positional',
      weights: { first: 40, lead_creation: 40, others: 20 },
    },
    {
      id: 'w_shaped',
      label: 'W-shaped',
      enabled: true,
      kind: 'positional',
      weights: { first: 30, lead_creation: 30, deal_creation: 30, others: 10 },
    },
    {
      id: 'full_path',
      label: 'Full path',
      enabled: true,
      kind: 'positional',
      weights: { first: 22.5, lead_creation: 22.5, deal_creation: 22.5, last: 22.5, others: 10 },
    },
    { id: 'time_decay', label: 'Time decay', enabled: true, kind: 'time_decay', halfLifeDays: 7 },
    {
      id: 'j_shaped',
      label: 'J-shaped',
      enabled: true,
      kind: 'positional',
      weights: { first: 20, last: 60, others: 20 },
    },
    {
      id: 'inverse_j',
      label: 'Inverse J',
      enabled: true,
      kind: 'positional',
      weights: { first: 60, last: 20, others: 20 },
    },
  ],
};

const STAGED: ('contact' | 'deal' | 'ticket')[] = ['contact', 'deal', 'ticket'];
const BOOL_OPTIONS = { source: 'fixed' as const, options: [opt('true', 'Yes'), opt('false', 'No')] };
const CHANNEL_OPTIONS = { source: 'picklist' as const, picklist: 'channel' };

const properties: Definitions['properties'] = {
  group: { name: 'closed_loop', label: 'Closed-loop reporting' },
  writtenBack: [
    {
      name: 'clr_compliance_status',
      label: 'Compliance status',
      description: 'Whether the record meets the closed-loop data standard. Computed by Closed Loop.',
      type: 'enumeration',
      fieldType: 'select',
      objects: STAGED,
      options: {
        source: 'fixed',
        options: [opt('compliant', 'Compliant'), opt('incomplete', 'Incomplete'), opt('invalid', 'Invalid')],
      },
    },
    {
      name: 'clr_compliance_score',
      label: 'Compliance score',
      description: 'Share of the applicable closed-loop checks the record passes, 0–100. Computed by Closed Loop.',
      type: 'number',
      fieldType: 'number',
      objects: STAGED,
      range: { min: 0, max: 100 },
    },
    {
      name: 'clr_missing_fields',
      label: 'Missing fields',
      description: 'Required fields that are empty or malformed, separated by ;. Computed by Closed Loop.',
      type: 'string',
      fieldType: 'text',
      objects: STAGED,
    },
    {
      name: 'clr_missing_join_keys',
      label: 'Missing join keys',
      description: 'Join keys that are missing or do not match, separated by ;. Computed by Closed Loop.',
      type: 'string',
      fieldType: 'text',
      objects: ['deal', 'ticket'],
    },
    {
      name: 'clr_stage_integrity',
      label: 'Stage integrity',
      description: 'The first stage problem found in the record’s stage history. Computed by Closed Loop.',
      type: 'enumeration',
      fieldType: 'select',
      objects: STAGED,
      options: {
        source: 'fixed',
        options: [
          opt('ok', 'OK'),
          opt('skipped_stage', 'Skipped stage'),
          opt('backward_move', 'Backward move'),
          opt('out_of_order', 'Out of order'),
        ],
      },
    },
    {
      name: 'clr_sla_breached',
      label: 'SLA breached',
      description: 'Whether any closed-loop SLA is breached for the record. Computed by Closed Loop.',
      type: 'bool',
      fieldType: 'booleancheckbox',
      objects: STAGED,
      options: BOOL_OPTIONS,
    },
    {
      name: 'clr_days_in_stage',
      label: 'Days in stage',
      description: 'Whole days since the record entered its current closed-loop stage. Computed by Closed Loop.',
      type: 'number',
      fieldType: 'number',
      objects: STAGED,
    },
    {
      name: 'clr_first_touch_channel',
      label: 'First touch channel',
      description: 'Channel of the first marketing touch. Computed by Closed Loop.',
      type: 'enumeration',
      fieldType: 'select',
      objects: ['contact', 'deal'],
      options: CHANNEL_OPTIONS,
    },
    {
      name: 'clr_last_touch_channel',
      label: 'Last touch channel',
      description: 'Channel of the last marketing touch. Computed by Closed Loop.',
      type: 'enumeration',
      fieldType: 'select',
      objects: ['contact', 'deal'],
      options: CHANNEL_OPTIONS,
    },
    {
      name: 'clr_lead_channel',
      label: 'Lead channel',
      description: 'Channel that sourced the deal, carried onto delivery. Computed by Closed Loop.',
      type: 'enumeration',
      fieldType: 'select',
      objects: ['deal', 'ticket'],
      options: CHANNEL_OPTIONS,
    },
    {
      name: 'clr_duplicate_of',
      label: 'Duplicate of',
      description: 'Id of the record this one duplicates (the survivor of its group). Computed by Closed Loop.',
      type: 'string',
      fieldType: 'text',
      objects: ['contact', 'company'],
    },
    {
      name: 'clr_handoff_pct',
      label: 'Handoff checklist %',
      description: 'Share of handoff checklist items done, 0–100. Computed by Closed Loop.',
      type: 'number',
      fieldType: 'number',
      objects: ['ticket'],
      range: { min: 0, max: 100 },
    },
    {
      name: 'clr_handoff_complete',
      label: 'Handoff complete',
      description: 'Whether every handoff checklist item is done. Computed by Closed Loop.',
      type: 'bool',
      fieldType: 'booleancheckbox',
      objects: ['ticket'],
      options: BOOL_OPTIONS,
    },
  ],
  inputs: [
    {
      name: 'clr_channel',
      label: 'Channel',
      description: 'The marketing channel the record came from.',
      type: 'enumeration',
      fieldType: 'select',
      objects: ['contact', 'deal'],
      options: CHANNEL_OPTIONS,
    },
    {
      name: 'clr_offer_id',
      label: 'Offer ID',
      description: 'The offer the contact responded to.',
      type: 'string',
      fieldType: 'text',
      objects: ['contact', 'deal'],
    },
    {
      name: 'clr_icp_tier',
      label: 'ICP tier',
      description: 'How well the account fits the ideal customer profile.',
      type: 'enumeration',
      fieldType: 'select',
      objects: ['contact', 'deal'],
      options: { source: 'picklist', picklist: 'icp_tier' },
    },
    {
      name: 'clr_product_line',
      label: 'Product line',
      description: 'The product line the opportunity is for.',
      type: 'enumeration',
      fieldType: 'select',
      objects: ['contact', 'deal'],
      options: { source: 'picklist', picklist: 'product_line' },
    },
    {
      name: 'clr_sal_date',
      label: 'SAL date',
      description: 'When sales accepted the lead; set, it makes a marketing qualified lead a SAL.',
      type: 'datetime',
      fieldType: 'date',
      objects: ['contact'],
    },
    {
      name: 'clr_sla_scope',
      label: 'SLA scope',
      description: 'The service levels promised in the proposal.',
      type: 'string',
      fieldType: 'textarea',
      objects: ['deal'],
    },
    {
      name: 'clr_win_reason',
      label: 'Win reason',
      description: 'Why the deal was won.',
      type: 'enumeration',
      fieldType: 'select',
      objects: ['deal'],
      options: { source: 'picklist', picklist: 'win_reason' },
    },
    {
      name: 'clr_loss_reason',
      label: 'Loss reason',
      description: 'Why the deal was lost.',
      type: 'enumeration',
      fieldType: 'select',
      objects: ['deal'],
      options: { source: 'picklist', picklist: 'loss_reason' },
    },
    {
      name: 'clr_contract_id',
      label: 'Contract ID',
      description: 'The contract that joins a won deal to its delivery tickets.',
      type: 'string',
      fieldType: 'text',
      objects: ['deal', 'ticket'],
    },
    {
      name: 'clr_change_request_reason',
      label: 'Change request reason',
      description: 'Why the delivery scope changed.',
      type: 'enumeration',
      fieldType: 'select',
      objects: ['ticket'],
      options: { source: 'picklist', picklist: 'change_request_reason' },
    },
  ],
};

const findings: Definitions['findings'] = {
  missing_field: { meaning: 'A required field fails its rule by being empty or malformed', compliance: 'incomplete' },
  invalid_value: { meaning: 'A picklist field holds a value outside its options', compliance: 'invalid' },
  checklist_incomplete: {
    meaning: 'A delivery ticket at in_delivery or later has checklist items not done',
    compliance: 'incomplete',
  },
  missing_join_key: { meaning: 'A join key the closed loop walks is missing', compliance: 'incomplete' },
  join_key_mismatch: { meaning: 'A join key does not match the record it joins to', compliance: 'invalid' },
  stage_gap: { meaning: 'A stage was skipped, moved backward or entered out of order', compliance: 'invalid' },
  duplicate: { meaning: 'Another record has the same email or domain', compliance: null },
  sla_breached: { meaning: 'A service level was breached', compliance: null },
};

export const DEFAULT_DEFINITIONS: Definitions = deepFreeze({
  format: DEFINITIONS_FORMAT,
  stages,
  requiredFields,
  picklists,
  channels,
  joinKeys,
  stageIntegrity: { checks: ['skipped', 'backward', 'out_of_order'] },
  duplicates,
  checklists,
  slas,
  attribution,
  properties,
  findings,
});

// The default is shared by every portal; freezing it turns an accidental in-place edit into an error.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

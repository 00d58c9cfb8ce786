import { describe, expect, it } from 'vitest';
import {
  channelOfAnalyticsSource,
  channelOfUtmMedium,
  currentStage,
  DEFAULT_DEFINITIONS,
  DefinitionsSchema,
  joinKeyFindingCode,
  normaliseKey,
  stageOrder,
  STAGE_ID_PLACEHOLDER,
  thresholdMs,
  type Definitions,
  type PropertyDefinition,
  type StagedObject,
} from '../../../server/domain/policy/index.ts';

/**
 * Version 1 against the tables of the default-policy specification, section by section. Each table
 * is transcribed here in the specification's own wording and the definitions are rendered back into
 * that wording, so a mismatch reads like a diff of the page.
 */
const D = DEFAULT_DEFINITIONS;
const OBJECTS: StagedObject[] = ['contact', 'deal', 'ticket'];

describe('version 1 as a document', () => {
  it('parses unchanged under the schema', () => {
    const result = DefinitionsSchema.safeParse(D);
    expect(result.success && result.data).toEqual(D);
  });

  it('is frozen, so no consumer can edit the shared default in place', () => {
    expect(Object.isFrozen(D)).toBe(true);
    expect(Object.isFrozen(D.requiredFields[0])).toBe(true);
    expect(() => {
      (D.attribution as { lookbackDays: number }).lookbackDays = 1;
    }).toThrow(TypeError);
  });
});

describe('section 1: stages', () => {
  const SPEC_TABLE = [
    ['lead', 'Lead', 'contact', 'lifecyclestage = lead', 'hs_lifecyclestage_lead_date'],
    [
      'mql',
      'MQL',
      'contact',
      'lifecyclestage = marketingqualifiedlead',
      'hs_lifecyclestage_marketingqualifiedlead_date',
    ],
    ['sal', 'SAL', 'contact', 'lifecyclestage = marketingqualifiedlead and clr_sal_date set', 'clr_sal_date'],
    ['sql', 'SQL', 'contact', 'lifecyclestage = salesqualifiedlead', 'hs_lifecyclestage_salesqualifiedlead_date'],
    ['opportunity', 'Opportunity', 'contact', 'lifecyclestage = opportunity', 'hs_lifecyclestage_opportunity_date'],
    ['customer', 'Customer', 'contact', 'lifecyclestage = customer', 'hs_lifecyclestage_customer_date'],
    ['discovery', 'Discovery', 'deal', 'dealstage ∈ appointmentscheduled, qualifiedtobuy', 'hs_date_entered_<stageId>'],
    [
      'proposal',
      'Proposal',
      'deal',
      'dealstage ∈ presentationscheduled, decisionmakerboughtin',
      'hs_date_entered_<stageId>',
    ],
    ['contract', 'Contract', 'deal', 'dealstage = contractsent', 'hs_date_entered_contractsent'],
    ['closed_won', 'Closed Won', 'deal', 'dealstage = closedwon', 'hs_date_entered_closedwon'],
    ['closed_lost', 'Closed Lost', 'deal', 'dealstage = closedlost', 'hs_date_entered_closedlost'],
    ['onboarding', 'Onboarding', 'ticket', 'hs_pipeline_stage = onboarding', 'hs_v2_date_entered_onboarding'],
    ['in_delivery', 'In delivery', 'ticket', 'hs_pipeline_stage = in_delivery', 'hs_v2_date_entered_in_delivery'],
    [
      'results_review',
      'Results review',
      'ticket',
      'hs_pipeline_stage = results_review',
      'hs_v2_date_entered_results_review',
    ],
    ['closed', 'Closed', 'ticket', 'hs_pipeline_stage = closed', 'hs_v2_date_entered_closed'],
  ];

  /** The definitions' stages in the table's wording. */
  function renderStageTable(definitions: Definitions): string[][] {
    return OBJECTS.flatMap((object) => {
      const lifecycle = definitions.stages[object];
      const mapping = lifecycle.pipelines[0]!;
      return lifecycle.stages.map((stage) => {
        const values = mapping.values[stage.id] ?? [];
        const prop = lifecycle.stageProperty;
        const hubspot = values.length === 1 ? `${prop} = ${values[0]}` : `${prop} ∈ ${values.join(', ')}`;
        const condition = stage.condition ? ` and ${stage.condition.property} ${stage.condition.is}` : '';
        const dateEntered =
          stage.enteredAtProperty ??
          (values.length === 1
            ? lifecycle.dateEnteredProperty.replace(STAGE_ID_PLACEHOLDER, values[0]!)
            : lifecycle.dateEnteredProperty);
        return [stage.id, stage.label, object, hubspot + condition, dateEntered];
      });
    });
  }

  it('has the 15 rows of the stage table, in order', () => {
    expect(renderStageTable(D)).toEqual(SPEC_TABLE);
  });

  it('reads stages from lifecyclestage, dealstage and hs_pipeline_stage; pipelines from pipeline and hs_pipeline', () => {
    expect(OBJECTS.map((o) => [D.stages[o].stageProperty, D.stages[o].pipelineProperty])).toEqual([
      ['lifecyclestage', null],
      ['dealstage', 'pipeline'],
      ['hs_pipeline_stage', 'hs_pipeline'],
    ]);
  });

  it('scopes contacts by stage only, deals to pipeline default, tickets to pipeline delivery', () => {
    expect(OBJECTS.map((o) => D.stages[o].pipelines.map((p) => p.id))).toEqual([[null], ['default'], ['delivery']]);
    expect(currentStage(D.stages.contact, { lifecyclestage: 'subscriber' })).toBeUndefined();
    expect(currentStage(D.stages.contact, { lifecyclestage: 'lead' })).toBe('lead');
    expect(currentStage(D.stages.deal, { pipeline: 'default', dealstage: 'qualifiedtobuy' })).toBe('discovery');
    expect(currentStage(D.stages.deal, { pipeline: 'renewals', dealstage: 'qualifiedtobuy' })).toBeUndefined();
    expect(currentStage(D.stages.ticket, { hs_pipeline: 'delivery', hs_pipeline_stage: 'in_delivery' })).toBe(
      'in_delivery',
    );
    expect(currentStage(D.stages.ticket, { hs_pipeline: '0', hs_pipeline_stage: 'in_delivery' })).toBeUndefined();
  });

  it('makes a marketing qualified lead a SAL only once clr_sal_date is set', () => {
    const mql = { lifecyclestage: 'marketingqualifiedlead' };
    expect(currentStage(D.stages.contact, mql)).toBe('mql');
    expect(currentStage(D.stages.contact, { ...mql, clr_sal_date: '  ' })).toBe('mql');
    expect(currentStage(D.stages.contact, { ...mql, clr_sal_date: '2026-10-01T09:00:00Z' })).toBe('sal');
  });

  it('orders contacts lead < mql < sal < sql < opportunity < customer', () => {
    const order = stageOrder(D.stages.contact);
    const chain = ['lead', 'mql', 'sal', 'sql', 'opportunity', 'customer'];
    chain.forEach((a, i) => chain.slice(i + 1).forEach((b) => expect(order.isEarlier(a, b)).toBe(true)));
    expect(order.earlier('sql')).toEqual(['lead', 'mql', 'sal']);
  });

  it('orders deals discovery < proposal < contract < closed_won and discovery < closed_lost only', () => {
    const order = stageOrder(D.stages.deal);
    expect(order.earlier('closed_won')).toEqual(['discovery', 'proposal', 'contract']);
    expect(order.earlier('closed_lost')).toEqual(['discovery']);
    expect(order.later('discovery')).toEqual(['proposal', 'contract', 'closed_won', 'closed_lost']);
    for (const other of ['proposal', 'contract', 'closed_won'])
      expect(order.areUnordered('closed_lost', other)).toBe(true);
  });

  it('orders tickets onboarding < in_delivery < results_review < closed', () => {
    const order = stageOrder(D.stages.ticket);
    expect(order.earlier('closed')).toEqual(['onboarding', 'in_delivery', 'results_review']);
    expect(order.later('onboarding')).toEqual(['in_delivery', 'results_review', 'closed']);
  });
});

describe('section 2: minimum data standard', () => {
  const SPEC_TABLE = [
    ['contact', 'lead', 'email', 'non-empty'],
    ['contact', 'mql', 'clr_channel', 'picklist channel'],
    ['contact', 'mql', 'clr_offer_id', 'non-empty'],
    ['contact', 'mql', 'clr_icp_tier', 'picklist icp_tier'],
    ['contact', 'sql', 'clr_product_line', 'picklist product_line'],
    ['deal', 'discovery', 'amount', 'a number > 0'],
    ['deal', 'discovery', 'closedate', 'a date'],
    ['deal', 'discovery', 'clr_product_line', 'picklist product_line'],
    ['deal', 'proposal', 'clr_sla_scope', 'non-empty'],
    ['deal', 'closed_won only', 'clr_win_reason', 'picklist win_reason'],
    ['deal', 'closed_lost only', 'clr_loss_reason', 'picklist loss_reason'],
    ['ticket', 'onboarding', 'clr_contract_id', 'non-empty'],
    ['ticket', 'in_delivery', 'handoff checklist', 'every item of section 5 done'],
    ['ticket', 'onboarding, only when the field is set', 'clr_change_request_reason', 'picklist change_request_reason'],
  ];
  const RULE_WORDS: Record<string, string> = {
    non_empty: 'non-empty',
    positive_number: 'a number > 0',
    date: 'a date',
  };

  it('has the 14 rows of the table, in order', () => {
    const rendered = D.requiredFields.map((row) => {
      let from = row.applies === 'only' ? `${row.stage} only` : row.stage;
      if ('checklist' in row) return [row.object, from, `${row.checklist} checklist`, 'every item of section 5 done'];
      if (row.onlyWhenSet) from = `${row.stage}, only when the field is set`;
      const rule = row.rule.startsWith('picklist:') ? `picklist ${row.rule.slice(9)}` : RULE_WORDS[row.rule];
      return [row.object, from, row.field, rule];
    });
    expect(rendered).toEqual(SPEC_TABLE);
  });

  it('applies Discovery rows to Closed Lost deals, and Proposal and Contract rows not', () => {
    const order = stageOrder(D.stages.deal);
    expect(order.isAtOrLater('closed_lost', 'discovery')).toBe(true);
    expect(order.isAtOrLater('closed_lost', 'proposal')).toBe(false);
    expect(order.isAtOrLater('closed_lost', 'contract')).toBe(false);
    expect(order.isAtOrLater('closed_won', 'proposal')).toBe(true);
  });

  it('refers the checklist row to the handoff checklist of tickets', () => {
    const row = D.requiredFields.find((r) => 'checklist' in r);
    expect(row).toEqual({ object: 'ticket', stage: 'in_delivery', applies: 'from', checklist: 'handoff' });
    expect(D.checklists.find((c) => c.id === 'handoff')?.object).toBe('ticket');
  });

  it('defines no legacy-value mappings in version 1', () => {
    expect(D.picklists.flatMap((p) => p.legacyValues)).toEqual([]);
  });
});

describe('section 3: governed picklists and channels', () => {
  const SPEC_PICKLISTS: Record<string, string> = {
    channel:
      'paid_search, paid_social, organic_search, organic_social, email, referral, partner, events, direct, outbound, other',
    icp_tier: 'tier_1, tier_2, tier_3, not_icp',
    product_line: 'managed_services, cloud_migration, security, data_platform, support_retainer',
    win_reason: 'price, capability_fit, relationship, timeline, partner_influence, other',
    loss_reason: 'price, no_decision, competitor, capability_gap, timing, not_a_fit, other',
    change_request_reason:
      'scope_gap_in_discovery, new_requirement, timeline_change, access_or_readiness, stakeholder_change, defect, other',
  };

  it('has the six picklists with their options in order', () => {
    expect(Object.fromEntries(D.picklists.map((p) => [p.name, p.options.map((o) => o.value).join(', ')]))).toEqual(
      SPEC_PICKLISTS,
    );
    expect(D.picklists.map((p) => p.name)).toEqual(Object.keys(SPEC_PICKLISTS));
  });

  it('labels every option', () => {
    for (const option of D.picklists.flatMap((p) => p.options)) expect(option.label.length).toBeGreaterThan(0);
  });

  it('maps UTM mediums as rule 2 says, trimmed and lower-cased, anything else to other', () => {
    const rule2: [string[], string][] = [
      [['cpc', 'ppc', 'paid_search'], 'paid_search'],
      [['paid_social', 'social_paid', 'paidsocial'], 'paid_social'],
      [['email', 'newsletter'], 'email'],
      [['referral'], 'referral'],
      [['partner'], 'partner'],
      [['event', 'events', 'webinar'], 'events'],
      [['social', 'organic_social'], 'organic_social'],
      [['organic'], 'organic_search'],
      [['outbound', 'sdr'], 'outbound'],
    ];
    const expected = Object.fromEntries(rule2.flatMap(([mediums, channel]) => mediums.map((m) => [m, channel])));
    expect(D.channels.utmMedium.map).toEqual(expected);
    expect(D.channels.utmMedium.otherwise).toBe('other');
    expect(channelOfUtmMedium(D.channels, '  CPC ')).toBe('paid_search');
    expect(channelOfUtmMedium(D.channels, 'Webinar')).toBe('events');
    expect(channelOfUtmMedium(D.channels, 'tv')).toBe('other');
    expect(channelOfUtmMedium(D.channels, 'constructor')).toBe('other');
    expect(channelOfUtmMedium(D.channels, '   ')).toBeUndefined();
    expect(channelOfUtmMedium(D.channels, null)).toBeUndefined();
  });

  it('maps hs_analytics_source as rule 3 says, anything else to other', () => {
    expect(D.channels.analyticsSource).toEqual({
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
    });
    expect(channelOfAnalyticsSource(D.channels, 'DIRECT_TRAFFIC')).toBe('direct');
    expect(channelOfAnalyticsSource(D.channels, 'AI_REFERRALS')).toBe('other');
    expect(channelOfAnalyticsSource(D.channels, '')).toBeUndefined();
  });

  it('makes an untrackable touch other, with channels from the channel picklist', () => {
    expect(D.channels.untrackable).toBe('other');
    expect(D.channels.picklist).toBe('channel');
  });
});

describe('section 4: join keys, stage integrity and duplicates', () => {
  it('has the four join-key checks with their scope and finding codes', () => {
    const rendered = D.joinKeys.map((check) => [
      check.label,
      check.atStage ? `deals at ${check.atStage.stage}` : `every ${check.object} in scope`,
      joinKeyFindingCode(check),
    ]);
    expect(rendered).toEqual([
      ['Deal has a buyer', 'every deal in scope', 'missing_join_key:contact'],
      ['Won deal has a contract', 'deals at closed_won', 'missing_join_key:clr_contract_id'],
      ['Delivery has an origin', 'every ticket in scope', 'missing_join_key:deal'],
      ['Delivery matches its contract', 'every ticket in scope', 'join_key_mismatch:clr_contract_id'],
    ]);
    expect(D.joinKeys[3]).toMatchObject({ kind: 'matches_association', to: 'deal', property: 'clr_contract_id' });
  });

  it('runs the three stage-integrity checks, in the precedence clr_stage_integrity reports them', () => {
    expect(D.stageIntegrity.checks).toEqual(['skipped', 'backward', 'out_of_order']);
  });

  it('groups contacts by email trimmed and lower-cased, survivor the lowest numeric id', () => {
    const rule = D.duplicates.find((r) => r.object === 'contact')!;
    expect(rule).toMatchObject({ property: 'email', survivor: 'lowest_numeric_id' });
    expect(normaliseKey('  Ana.Ruiz@Example.COM ', rule.normalise)).toBe('ana.ruiz@example.com');
    expect(normaliseKey('   ', rule.normalise)).toBe('');
  });

  it('groups companies by domain trimmed, lower-cased and without a leading www.', () => {
    const rule = D.duplicates.find((r) => r.object === 'company')!;
    expect(rule).toMatchObject({ property: 'domain', survivor: 'lowest_numeric_id' });
    expect(normaliseKey(' WWW.Acme.com ', rule.normalise)).toBe('acme.com');
    expect(normaliseKey('wwwacme.com', rule.normalise)).toBe('wwwacme.com');
    expect(normaliseKey('shop.www.acme.com', rule.normalise)).toBe('shop.www.acme.com');
  });
});

describe('section 5: handoff checklist', () => {
  it('has the seven items in order, on delivery tickets', () => {
    expect(D.checklists).toHaveLength(1);
    expect(D.checklists[0]!.object).toBe('ticket');
    expect(D.checklists[0]!.items.map((i) => i.id)).toEqual([
      'scope_confirmed',
      'sla_recorded',
      'timeline_assumptions',
      'access_plan',
      'stakeholders',
      'success_criteria',
      'kickoff_scheduled',
    ]);
  });
});

describe('section 6: SLAs', () => {
  const HOUR = 3_600_000;

  it('has the four SLAs with their objects, moments and thresholds', () => {
    const rendered = D.slas.map((sla) => [sla.id, sla.object, sla.atStages ?? 'any', sla.start, sla.end]);
    expect(rendered).toEqual([
      [
        'lead_follow_up',
        'contact',
        'any',
        { kind: 'stage_entered', stage: 'mql' },
        { kind: 'property', property: 'hs_sa_first_engagement_date' },
      ],
      [
        'lead_acceptance',
        'contact',
        'any',
        { kind: 'stage_entered', stage: 'mql' },
        { kind: 'stage_entered', stage: 'sal' },
      ],
      ['deal_stall', 'deal', ['discovery', 'proposal', 'contract'], { kind: 'current_stage_entered' }, null],
      [
        'onboarding',
        'ticket',
        'any',
        { kind: 'stage_entered', stage: 'onboarding' },
        { kind: 'next_stage_entered', after: 'onboarding' },
      ],
    ]);
    expect(D.slas.map((sla) => thresholdMs(sla.threshold) / HOUR)).toEqual([24, 48, 30 * 24, 14 * 24]);
  });
});

describe('section 7: attribution', () => {
  it('looks back 365 days and credits touchless deals to unattributed', () => {
    expect(D.attribution.lookbackDays).toBe(365);
    expect(D.attribution.unattributedChannel).toBe('unattributed');
  });

  it('enables the nine models of the table with their weights', () => {
    const rendered = D.attribution.models.map((model) => {
      expect(model.enabled).toBe(true);
      if (model.kind === 'positional') return [model.id, model.weights];
      if (model.kind === 'time_decay') return [model.id, `half-life ${model.halfLifeDays} days`];
      return [model.id, 'equal'];
    });
    expect(rendered).toEqual([
      ['first_touch', { first: 100 }],
      ['last_touch', { last: 100 }],
      ['linear', 'equal'],
      ['u_shaped', { first: 40, lead_creation: 40, others: 20 }],
      ['w_shaped', { first: 30, lead_creation: 30, deal_creation: 30, others: 10 }],
      ['full_path', { first: 22.5, lead_creation: 22.5, deal_creation: 22.5, last: 22.5, others: 10 }],
      ['time_decay', 'half-life 7 days'],
      ['j_shaped', { first: 20, last: 60, others: 20 }],
      ['inverse_j', { first: 60, last: 20, others: 20 }],
    ]);
  });
});

describe('section 8: written-back and input properties', () => {
  const SPEC_TABLE = [
    ['clr_compliance_status', 'enumeration: compliant, incomplete, invalid', 'contact, deal, ticket'],
    ['clr_compliance_score', 'number 0–100', 'contact, deal, ticket'],
    ['clr_missing_fields', 'string', 'contact, deal, ticket'],
    ['clr_missing_join_keys', 'string', 'deal, ticket'],
    ['clr_stage_integrity', 'enumeration: ok, skipped_stage, backward_move, out_of_order', 'contact, deal, ticket'],
    ['clr_sla_breached', 'bool', 'contact, deal, ticket'],
    ['clr_days_in_stage', 'number', 'contact, deal, ticket'],
    ['clr_first_touch_channel', 'enumeration (channel)', 'contact, deal'],
    ['clr_last_touch_channel', 'enumeration (channel)', 'contact, deal'],
    ['clr_lead_channel', 'enumeration (channel)', 'deal, ticket'],
    ['clr_duplicate_of', 'string', 'contact, company'],
    ['clr_handoff_pct', 'number 0–100', 'ticket'],
    ['clr_handoff_complete', 'bool', 'ticket'],
  ];

  function typeInSpecWords(property: PropertyDefinition): string {
    if (property.type === 'enumeration' && property.options?.source === 'fixed')
      return `enumeration: ${property.options.options.map((o) => o.value).join(', ')}`;
    if (property.type === 'enumeration' && property.options?.source === 'picklist')
      return `enumeration (${property.options.picklist})`;
    if (property.range) return `${property.type} ${property.range.min}–${property.range.max}`;
    return property.type;
  }

  it('creates its properties in the group closed_loop, "Closed-loop reporting"', () => {
    expect(D.properties.group).toEqual({ name: 'closed_loop', label: 'Closed-loop reporting' });
  });

  it('has the 13 written-back properties of the table, with their types and objects', () => {
    expect(D.properties.writtenBack.map((p) => [p.name, typeInSpecWords(p), p.objects.join(', ')])).toEqual(SPEC_TABLE);
  });

  it('gives each HubSpot type the field type HubSpot expects', () => {
    const fieldTypes = D.properties.writtenBack.map((p) => `${p.type}/${p.fieldType}`);
    expect(new Set(fieldTypes)).toEqual(
      new Set(['enumeration/select', 'number/number', 'string/text', 'bool/booleancheckbox']),
    );
    for (const bool of D.properties.writtenBack.filter((p) => p.type === 'bool'))
      expect(bool.options).toEqual({
        source: 'fixed',
        options: [
          { value: 'true', label: 'Yes' },
          { value: 'false', label: 'No' },
        ],
      });
  });

  it('creates the input properties of the list, on their objects, with the picklists as options', () => {
    const rendered = D.properties.inputs.map((p) => [
      p.name,
      p.objects.join(', '),
      p.options?.source === 'picklist' ? p.options.picklist : p.type,
    ]);
    expect(rendered).toEqual([
      ['clr_channel', 'contact, deal', 'channel'],
      ['clr_offer_id', 'contact, deal', 'string'],
      ['clr_icp_tier', 'contact, deal', 'icp_tier'],
      ['clr_product_line', 'contact, deal', 'product_line'],
      ['clr_sal_date', 'contact', 'datetime'],
      ['clr_sla_scope', 'deal', 'string'],
      ['clr_win_reason', 'deal', 'win_reason'],
      ['clr_loss_reason', 'deal', 'loss_reason'],
      ['clr_contract_id', 'deal, ticket', 'string'],
      ['clr_change_request_reason', 'ticket', 'change_request_reason'],
    ]);
  });

  it('defines every property a required field of section 2 needs, unless HubSpot has it already', () => {
    const defined = new Set(D.properties.inputs.flatMap((p) => p.objects.map((o) => `${o}.${p.name}`)));
    const needed = D.requiredFields.flatMap((r) => ('field' in r ? [`${r.object}.${r.field}`] : []));
    const hubspotOwn = ['contact.email', 'deal.amount', 'deal.closedate'];
    expect(needed.filter((n) => !defined.has(n) && !hubspotOwn.includes(n))).toEqual([]);
  });
});

describe('section 9: finding codes', () => {
  it('defines every finding kind, and how it weighs on clr_compliance_status', () => {
    const byCompliance = (level: 'invalid' | 'incomplete' | null) =>
      Object.entries(D.findings)
        .filter(([, f]) => f.compliance === level)
        .map(([kind]) => kind);
    expect(byCompliance('invalid')).toEqual(['invalid_value', 'join_key_mismatch', 'stage_gap']);
    expect(byCompliance('incomplete')).toEqual(['missing_field', 'checklist_incomplete', 'missing_join_key']);
    expect(byCompliance(null)).toEqual(['duplicate', 'sla_breached']);
  });
});

import type { CrmObjectType } from '../contracts.ts';
import type { PropertyDefinition, PropertyGroupDefinition, PropertyOption, PropertyType } from './definitions.ts';

/**
 * HubSpot's own properties that the app reads or writes, so reads look real and writes validate. Not
 * HubSpot's full catalogue (a real portal has hundreds per object); the options of owner, pipeline and
 * stage properties come from the portal's owners and pipelines.
 */

export type BuiltinContext = {
  owners: { id: string; firstName?: string; lastName?: string; email: string }[];
  dealPipelines: { id: string; label: string; stages: { id: string; label: string }[] }[];
  ticketPipelines: { id: string; label: string; stages: { id: string; label: string }[] }[];
};

const LIFECYCLE_STAGES: PropertyOption[] = [
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
].map(([value, label], displayOrder) => ({ value: value!, label: label!, displayOrder }));

const ANALYTICS_SOURCES: PropertyOption[] = [
  ['ORGANIC_SEARCH', 'Organic Search'],
  ['PAID_SEARCH', 'Paid Search'],
  ['EMAIL_MARKETING', 'Email Marketing'],
  ['SOCIAL_MEDIA', 'Organic Social'],
  ['REFERRALS', 'Referrals'],
  ['OTHER_CAMPAIGNS', 'Other Campaigns'],
  ['DIRECT_TRAFFIC', 'Direct Traffic'],
  ['OFFLINE', 'Offline Sources'],
  ['PAID_SOCIAL', 'Paid Social'],
  ['AI_REFERRALS', 'AI Referrals'],
].map(([value, label], displayOrder) => ({ value: value!, label: label!, displayOrder }));

const PRIORITIES: PropertyOption[] = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'].map((value, displayOrder) => ({
  value,
  label: value[0] + value.slice(1).toLowerCase(),
  displayOrder,
}));

const BOOL_OPTIONS: PropertyOption[] = [
  { label: 'True', value: 'true', displayOrder: 0 },
  { label: 'False', value: 'false', displayOrder: 1 },
];

type Extra = Partial<
  Pick<PropertyDefinition, 'options' | 'readOnlyValue' | 'hasUniqueValue' | 'calculated' | 'description' | 'hidden'>
>;

function builder(groupName: string) {
  let order = 0;
  return (
    name: string,
    label: string,
    type: PropertyType,
    fieldType: string,
    extra: Extra = {},
  ): PropertyDefinition => ({
    name,
    label,
    type,
    fieldType,
    groupName,
    description: extra.description ?? '',
    options: extra.options ?? (type === 'bool' ? BOOL_OPTIONS : []),
    displayOrder: order++,
    hidden: extra.hidden ?? false,
    formField: false,
    hasUniqueValue: extra.hasUniqueValue ?? false,
    calculated: extra.calculated ?? false,
    externalOptions: false,
    hubspotDefined: true,
    readOnlyValue: extra.readOnlyValue ?? false,
    archived: false,
  });
}

const RO = { readOnlyValue: true } as const;

function ownerOptions(ctx: BuiltinContext): PropertyOption[] {
  return ctx.owners.map((o, displayOrder) => ({
    value: o.id,
    label: [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email,
    displayOrder,
  }));
}

function stageDates(
  add: ReturnType<typeof builder>,
  stages: { id: string; label: string }[],
  legacy: (id: string) => string | undefined,
): PropertyDefinition[] {
  const defs: PropertyDefinition[] = [];
  for (const s of stages) {
    const legacyName = legacy(s.id);
    if (legacyName) defs.push(add(legacyName, `Date entered "${s.label}"`, 'datetime', 'date', RO));
    defs.push(add(`hs_v2_date_entered_${s.id}`, `Date entered "${s.label}"`, 'datetime', 'date', RO));
    defs.push(add(`hs_v2_date_exited_${s.id}`, `Date exited "${s.label}"`, 'datetime', 'date', RO));
  }
  return defs;
}

function contacts(ctx: BuiltinContext): PropertyDefinition[] {
  const info = builder('contactinformation');
  const analytics = builder('analyticsinformation');
  return [
    info('email', 'Email', 'string', 'text', { hasUniqueValue: false }),
    info('firstname', 'First Name', 'string', 'text'),
    info('lastname', 'Last Name', 'string', 'text'),
    info('phone', 'Phone Number', 'string', 'phonenumber'),
    info('company', 'Company Name', 'string', 'text'),
    info('jobtitle', 'Job Title', 'string', 'text'),
    info('lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', { options: LIFECYCLE_STAGES }),
    info('hs_lead_status', 'Lead Status', 'enumeration', 'radio', {
      options: [
        'NEW',
        'OPEN',
        'IN_PROGRESS',
        'OPEN_DEAL',
        'UNQUALIFIED',
        'ATTEMPTED_TO_CONTACT',
        'CONNECTED',
        'BAD_TIMING',
      ].map((value, displayOrder) => ({ value, label: value, displayOrder })),
    }),
    info('hubspot_owner_id', 'Contact owner', 'enumeration', 'select', { options: ownerOptions(ctx) }),
    info('associatedcompanyid', 'Primary Associated Company ID', 'number', 'number'),
    info('createdate', 'Create Date', 'datetime', 'date'),
    info('lastmodifieddate', 'Last Modified Date', 'datetime', 'date', RO),
    info('hs_object_id', 'Record ID', 'number', 'number', RO),
    info('hs_merged_object_ids', 'Merged record IDs', 'enumeration', 'checkbox', RO),
    info('hs_sa_first_engagement_date', 'Date of first engagement', 'datetime', 'date', RO),
    ...LIFECYCLE_STAGES.map((s) =>
      info(`hs_lifecyclestage_${s.value}_date`, `Became a ${s.label} Date`, 'datetime', 'date', RO),
    ),
    ...stageDates(
      info,
      LIFECYCLE_STAGES.map((s) => ({ id: s.value, label: s.label })),
      () => undefined,
    ),
    analytics('hs_analytics_source', 'Original Source', 'enumeration', 'select', { options: ANALYTICS_SOURCES }),
    analytics('hs_analytics_source_data_1', 'Original Source Drill-Down 1', 'string', 'text', RO),
    analytics('hs_analytics_source_data_2', 'Original Source Drill-Down 2', 'string', 'text', RO),
    analytics('hs_latest_source', 'Latest Traffic Source', 'enumeration', 'select', {
      ...RO,
      options: ANALYTICS_SOURCES,
    }),
  ];
}

function companies(ctx: BuiltinContext): PropertyDefinition[] {
  const info = builder('companyinformation');
  return [
    info('name', 'Company name', 'string', 'text'),
    info('domain', 'Company Domain Name', 'string', 'text'),
    info('industry', 'Industry', 'string', 'text'),
    info('city', 'City', 'string', 'text'),
    info('country', 'Country/Region', 'string', 'text'),
    info('numberofemployees', 'Number of Employees', 'number', 'number'),
    info('annualrevenue', 'Annual Revenue', 'number', 'number'),
    info('lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', { options: LIFECYCLE_STAGES }),
    info('hubspot_owner_id', 'Company owner', 'enumeration', 'select', { options: ownerOptions(ctx) }),
    info('hs_analytics_source', 'Original Source Type', 'enumeration', 'select', { ...RO, options: ANALYTICS_SOURCES }),
    info('createdate', 'Create Date', 'datetime', 'date'),
    info('hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', RO),
    info('hs_object_id', 'Record ID', 'number', 'number', RO),
    info('hs_merged_object_ids', 'Merged record IDs', 'enumeration', 'checkbox', RO),
    ...LIFECYCLE_STAGES.map((s) =>
      info(`hs_lifecyclestage_${s.value}_date`, `Became a ${s.label} Date`, 'datetime', 'date', RO),
    ),
  ];
}

function deals(ctx: BuiltinContext): PropertyDefinition[] {
  const info = builder('dealinformation');
  const stages = ctx.dealPipelines.flatMap((p) => p.stages);
  return [
    info('dealname', 'Deal Name', 'string', 'text'),
    info('amount', 'Amount', 'number', 'number'),
    info('pipeline', 'Pipeline', 'enumeration', 'select', {
      options: ctx.dealPipelines.map((p, displayOrder) => ({ value: p.id, label: p.label, displayOrder })),
    }),
    info('dealstage', 'Deal Stage', 'enumeration', 'radio', {
      options: stages.map((s, displayOrder) => ({ value: s.id, label: s.label, displayOrder })),
    }),
    info('closedate', 'Close Date', 'datetime', 'date'),
    info('dealtype', 'Deal Type', 'enumeration', 'radio', {
      options: [
        { value: 'newbusiness', label: 'New Business', displayOrder: 0 },
        { value: 'existingbusiness', label: 'Existing Business', displayOrder: 1 },
      ],
    }),
    info('hubspot_owner_id', 'Deal owner', 'enumeration', 'select', { options: ownerOptions(ctx) }),
    info('closed_lost_reason', 'Closed Lost Reason', 'string', 'textarea'),
    info('closed_won_reason', 'Closed Won Reason', 'string', 'textarea'),
    info('hs_is_closed', 'Is Deal Closed?', 'bool', 'booleancheckbox', { ...RO, calculated: true }),
    info('hs_is_closed_won', 'Is Closed Won', 'bool', 'booleancheckbox', { ...RO, calculated: true }),
    info('hs_analytics_source', 'Original Source Type', 'enumeration', 'select', { ...RO, options: ANALYTICS_SOURCES }),
    info('createdate', 'Create Date', 'datetime', 'date'),
    info('hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', RO),
    info('hs_object_id', 'Record ID', 'number', 'number', RO),
    info('hs_merged_object_ids', 'Merged record IDs', 'enumeration', 'checkbox', RO),
    ...stageDates(info, stages, (id) => `hs_date_entered_${id}`),
    ...stages.map((s) => info(`hs_date_exited_${s.id}`, `Date exited "${s.label}"`, 'datetime', 'date', RO)),
  ];
}

function tickets(ctx: BuiltinContext): PropertyDefinition[] {
  const info = builder('ticketinformation');
  const stages = ctx.ticketPipelines.flatMap((p) => p.stages);
  return [
    info('subject', 'Ticket name', 'string', 'text'),
    info('content', 'Ticket description', 'string', 'textarea'),
    info('hs_pipeline', 'Pipeline', 'enumeration', 'select', {
      options: ctx.ticketPipelines.map((p, displayOrder) => ({ value: p.id, label: p.label, displayOrder })),
    }),
    info('hs_pipeline_stage', 'Ticket status', 'enumeration', 'select', {
      options: stages.map((s, displayOrder) => ({ value: s.id, label: s.label, displayOrder })),
    }),
    info('hs_ticket_priority', 'Priority', 'enumeration', 'select', { options: PRIORITIES }),
    info('hs_ticket_category', 'Category', 'string', 'text'),
    info('hubspot_owner_id', 'Ticket owner', 'enumeration', 'select', { options: ownerOptions(ctx) }),
    info('closed_date', 'Close date', 'datetime', 'date'),
    info('createdate', 'Create date', 'datetime', 'date'),
    info('hs_lastmodifieddate', 'Last modified date', 'datetime', 'date', RO),
    info('hs_object_id', 'Ticket ID', 'number', 'number', RO),
    info('hs_merged_object_ids', 'Merged record IDs', 'enumeration', 'checkbox', RO),
    ...stageDates(info, stages, (id) => `hs_date_entered_${id}`),
  ];
}

export function builtinProperties(type: CrmObjectType, ctx: BuiltinContext): PropertyDefinition[] {
  const defs = { contacts, companies, deals, tickets }[type](ctx);
  // Stage ids can repeat across pipelines; keep the first definition of a name.
  const seen = new Set<string>();
  return defs.filter((d) => !seen.has(d.name) && seen.add(d.name));
}

const group = (name: string, label: string, displayOrder: number): PropertyGroupDefinition => ({
  name,
  label,
  displayOrder,
  archived: false,
  hubspotDefined: true,
});

export const BUILTIN_GROUPS: Record<CrmObjectType, PropertyGroupDefinition[]> = {
  contacts: [
    group('contactinformation', 'Contact information', 0),
    group('analyticsinformation', 'Web analytics history', 1),
  ],
  companies: [group('companyinformation', 'Company information', 0)],
  deals: [group('dealinformation', 'Deal information', 0)],
  tickets: [group('ticketinformation', 'Ticket information', 0)],
};

/** Properties a list/read returns when the request names none (HubSpot's defaults per object). */
export const DEFAULT_READ_PROPERTIES: Record<CrmObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
  tickets: [
    'content',
    'createdate',
    'hs_lastmodifieddate',
    'hs_object_id',
    'hs_pipeline',
    'hs_pipeline_stage',
    'hs_ticket_category',
    'hs_ticket_priority',
    'subject',
  ],
};

/** Properties the search endpoint returns by default. */
export const DEFAULT_SEARCH_PROPERTIES: Record<CrmObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
  tickets: [
    'content',
    'createdate',
    'hs_lastmodifieddate',
    'hs_object_id',
    'hs_pipeline',
    'hs_pipeline_stage',
    'hs_ticket_category',
    'hs_ticket_priority',
    'subject',
  ],
};

/** Properties the search `query` string matches (HubSpot's default searchable properties, trimmed). */
export const QUERY_PROPERTIES: Record<CrmObjectType, string[]> = {
  contacts: ['email', 'firstname', 'lastname', 'phone', 'company', 'hs_object_id'],
  companies: ['name', 'domain', 'hs_object_id'],
  deals: ['dealname', 'hs_object_id'],
  tickets: ['subject', 'content', 'hs_object_id'],
};

/**
 * The words the generated portal is made of: HubSpot's values, the default policy's picklists, and the
 * names, brands and campaigns of the bundled demo fixture, so a generated portal reads like a bigger demo.
 */

export const FIRST_NAMES = [
  'Ana', 'Ben', 'Chen', 'Dara', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivo', 'Jia', 'Kofi', 'Lena', 'Mo', 'Nia', 'Omar', 'Pia',
] as const; // prettier-ignore

export const LAST_NAMES = [
  'Ruiz', 'Okafor', 'Tanaka', 'Silva', 'Mehta', 'Novak', 'Haddad', 'Schmidt', 'Kowalski', 'Larsen',
] as const; // prettier-ignore

export const COMPANY_BRANDS = [
  'umbrella', 'aperture', 'wayne', 'oscorp', 'wonka', 'soylent', 'cyberdyne', 'vandelay', 'hooli', 'initech',
  'tyrell', 'acme', 'stark',
] as const; // prettier-ignore

/** Contact lifecycle stages of the default policy, in its order (SAL is MQL plus `clr_sal_date`). */
export const LIFECYCLE_STAGES = ['lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'];
/** Lifecycle stages outside the policy: such contacts are out of scope, which a sync must still handle. */
export const OUT_OF_SCOPE_LIFECYCLE_STAGES = ['subscriber', 'other'];

/** Deal stages of pipeline `default` in pipeline order, each with its closed-loop stage rank (lost apart). */
export const DEAL_STAGES = [
  { id: 'appointmentscheduled', group: 0 },
  { id: 'qualifiedtobuy', group: 0 },
  { id: 'presentationscheduled', group: 1 },
  { id: 'decisionmakerboughtin', group: 1 },
  { id: 'contractsent', group: 2 },
  { id: 'closedwon', group: 3 },
] as const;
export const DEAL_LOST_STAGE = 'closedlost';

export const DELIVERY_STAGES = ['onboarding', 'in_delivery', 'results_review', 'closed'];
export const SUPPORT_STAGES = ['1', '2', '3', '4'];

export const PIPELINES = {
  deals: [
    {
      id: 'default',
      label: 'Sales Pipeline',
      displayOrder: 0,
      stages: [
        ['appointmentscheduled', 'Appointment scheduled', 'false', '0.2'],
        ['qualifiedtobuy', 'Qualified to buy', 'false', '0.4'],
        ['presentationscheduled', 'Presentation scheduled', 'false', '0.6'],
        ['decisionmakerboughtin', 'Decision maker bought-in', 'false', '0.8'],
        ['contractsent', 'Contract sent', 'false', '0.9'],
        ['closedwon', 'Closed won', 'true', '1.0'],
        ['closedlost', 'Closed lost', 'true', '0.0'],
      ].map(([id, label, isClosed, probability], displayOrder) => ({
        id,
        label,
        displayOrder,
        metadata: { isClosed, probability },
      })),
    },
  ],
  tickets: [
    {
      id: '0',
      label: 'Support Pipeline',
      displayOrder: 0,
      stages: [
        ['1', 'New', 'OPEN'],
        ['2', 'Waiting on contact', 'OPEN'],
        ['3', 'Waiting on us', 'OPEN'],
        ['4', 'Closed', 'CLOSED'],
      ].map(([id, label, ticketState], displayOrder) => ({ id, label, displayOrder, metadata: { ticketState } })),
    },
    {
      id: 'delivery',
      label: 'Delivery',
      displayOrder: 1,
      stages: [
        ['onboarding', 'Onboarding', 'OPEN'],
        ['in_delivery', 'In delivery', 'OPEN'],
        ['results_review', 'Results review', 'OPEN'],
        ['closed', 'Closed', 'CLOSED'],
      ].map(([id, label, ticketState], displayOrder) => ({ id, label, displayOrder, metadata: { ticketState } })),
    },
  ],
};

/** A governed picklist: its options, and values people actually type that are not among them. */
export type Picklist = { options: readonly string[]; strays: readonly string[] };

export const PICKLISTS = {
  channel: {
    options: ['paid_search', 'paid_social', 'organic_search', 'organic_social', 'email', 'referral', 'partner', 'events', 'direct', 'outbound', 'other'],
    strays: ['LinkedIn', 'Google Ads', 'webinar!', 'Paid_Search', ' email'],
  },
  icpTier: { options: ['tier_1', 'tier_2', 'tier_3', 'not_icp'], strays: ['A', 'Tier 1', 'tier1'] },
  productLine: {
    options: ['managed_services', 'cloud_migration', 'security', 'data_platform', 'support_retainer'],
    strays: ['Cloud', 'Security', 'cloud migration', 'security '],
  },
  winReason: {
    options: ['price', 'capability_fit', 'relationship', 'timeline', 'partner_influence', 'other'],
    strays: ['Price', 'great demo', 'relationship '],
  },
  lossReason: {
    options: ['price', 'no_decision', 'competitor', 'capability_gap', 'timing', 'not_a_fit', 'other'],
    strays: ['Budget', 'lost to competitor', 'Price'],
  },
  changeRequestReason: {
    options: ['scope_gap_in_discovery', 'new_requirement', 'timeline_change', 'access_or_readiness', 'stakeholder_change', 'defect', 'other'],
    strays: ['scope creep', 'Defect', 'client asked'],
  },
} satisfies Record<string, Picklist>; // prettier-ignore

/**
 * UTM mediums as people tag links: every value of the policy's medium table, values it does not know
 * (they map to `other`), and the same values in other cases or with stray spaces (it trims and lower-cases).
 */
export const UTM_MEDIUMS = {
  mapped: ['cpc', 'ppc', 'paid_search', 'paid_social', 'social_paid', 'paidsocial', 'email', 'newsletter', 'referral', 'partner', 'event', 'events', 'webinar', 'social', 'organic_social', 'organic', 'outbound', 'sdr'],
  unknown: ['display', 'affiliate', 'print', 'qr'],
  empty: ['', '  '],
} as const; // prettier-ignore

export const UTM_SOURCES = ['google', 'newsletter', 'partner-portal', 'linkedin', 'bing'] as const;
export const UTM_CAMPAIGNS = ['q3-cloud', 'data-summit', 'q4-security', 'always-on'] as const;
export const UTM_CONTENTS = ['case-study', 'migration-guide', 'roi-calculator', 'demo-video'] as const;
export const PAGE_URLS = [
  'https://www.example.com/pricing',
  'https://www.example.com/contact',
  'https://www.example.com/blog/cloud',
  'https://www.example.com/guide',
  'https://www.example.com/webinar',
] as const;

/** HubSpot's original-source values; '' is a contact HubSpot could not attribute. */
export const ANALYTICS_SOURCES = [
  'DIRECT_TRAFFIC', 'REFERRALS', 'SOCIAL_MEDIA', 'PAID_SOCIAL', 'ORGANIC_SEARCH', 'PAID_SEARCH', 'OFFLINE',
  'EMAIL_MARKETING', 'OTHER_CAMPAIGNS',
] as const; // prettier-ignore

export const OFFER_IDS = ['OFF-AUDIT', 'OFF-WEBINAR-Q3', 'OFF-WP-CLOUD', 'OFF-ROI-CALC'] as const;
export const SLA_SCOPES = ['99.9% uptime, 4h P1 response', '8x5 support, NBD response', '24x7 SOC, 1h P1'] as const;
export const SUPPORT_SUBJECTS = ['login issue', 'invoice question', 'access request', 'report export'] as const;

export const INGEST_CHANNELS = ['events', 'partner', 'outbound'] as const;
export const INGEST_CAMPAIGNS = ['CMP-FIELD-EVENT', 'CMP-PARTNER-Q3', 'CMP-SDR-OUTREACH'] as const;
export const INGEST_OFFERS = ['OFF-BOOTH', 'OFF-AUDIT', 'OFF-ROI-CALC'] as const;

/** Monthly ad spend per channel for the demo's 150 contacts, in cents; scaled with the contact count. */
export const SPEND_PER_150_CONTACTS = [
  ['paid_search', 1_250_000],
  ['paid_social', 500_000],
  ['events', 630_000],
  ['partner', 210_000],
] as const;

import type { DealCardData } from '../../lib/contracts/deal.ts';
import type { ContactCardData } from '../../lib/contracts/contact.ts';
import type { TicketCardData } from '../../lib/contracts/ticket.ts';

/**
 * Card API answers shaped exactly as server/cards/contracts/*.ts describe them (what the backend's own
 * tests check its answers against), for a deal at Discovery, a delivery ticket and an MQL contact.
 */

export const PRODUCT_LINES = [
  { value: 'managed_services', label: 'Managed services' },
  { value: 'platform', label: 'Platform' },
];

export function dealCardData(): DealCardData {
  return {
    objectType: 'deal',
    objectId: '1235',
    definitionsVersion: 3,
    inScope: true,
    stage: { id: 'discovery', label: 'Discovery' },
    nextStage: { id: 'proposal', label: 'Proposal' },
    compliance: { status: 'invalid', score: 40, applicable: 5, passed: 2 },
    missingFields: {
      current: [
        {
          property: 'clr_product_line',
          label: 'Product line',
          requiredFrom: { id: 'discovery', label: 'Discovery' },
          applies: 'from',
          problem: 'invalid',
          value: 'Cloud',
          input: { kind: 'picklist', picklist: 'product_line', options: PRODUCT_LINES },
          proposedFix: 'Pick one of the product lines.',
        },
        {
          property: 'amount',
          label: null,
          requiredFrom: { id: 'discovery', label: 'Discovery' },
          applies: 'from',
          problem: 'missing',
          value: null,
          input: { kind: 'number', greaterThan: 0 },
          proposedFix: 'Enter the deal amount.',
        },
        {
          property: 'closedate',
          label: null,
          requiredFrom: { id: 'discovery', label: 'Discovery' },
          applies: 'from',
          problem: 'missing',
          value: null,
          input: { kind: 'date' },
          proposedFix: 'Set the expected close date.',
        },
      ],
      next: [
        {
          property: 'clr_sla_scope',
          label: 'SLA scope',
          requiredFrom: { id: 'proposal', label: 'Proposal' },
          applies: 'from',
          problem: 'missing',
          value: null,
          input: { kind: 'text' },
          proposedFix: 'Write the service levels the proposal promises.',
        },
      ],
    },
    missingJoinKeys: [
      {
        code: 'join_key:company',
        key: 'company',
        problem: 'missing',
        proposedFix: 'Associate the deal with its company.',
      },
    ],
    stageTime: {
      enteredAt: '2026-10-11T15:00:00.000Z',
      days: 12,
      sla: { id: 'deal_stall', label: 'Deal stall', thresholdDays: 30, breached: false },
    },
    findings: [
      {
        code: 'picklist_invalid',
        kind: 'field',
        severity: 'error',
        field: 'clr_product_line',
        proposedFix: 'Pick one of the product lines.',
      },
    ],
    attribution: {
      models: [
        { id: 'first_touch', label: 'First touch' },
        { id: 'linear', label: 'Linear' },
      ],
      model: 'first_touch',
      kind: 'pipeline',
      creditedCents: 1_000_000,
      byChannel: [{ channel: 'paid_search', label: 'Paid search', cents: 1_000_000 }],
      touches: [
        {
          id: 't1',
          contactId: '1049',
          occurredAt: '2026-09-01T10:00:00.000Z',
          channel: 'paid_search',
          channelLabel: 'Paid search',
          trackable: true,
          campaignId: 'spring-26',
          source: 'hubspot_event',
          cents: 1_000_000,
        },
        {
          id: 't2',
          contactId: '1049',
          occurredAt: '2026-09-20T10:00:00.000Z',
          channel: 'events',
          channelLabel: 'Events',
          trackable: true,
          campaignId: null,
          source: 'ingest',
          cents: 0,
        },
      ],
      coverage: {
        deals: { covered: 1, total: 1, ratio: 1 },
        amountCents: { covered: 1_000_000, total: 1_000_000, ratio: 1 },
      },
      computedAt: '2026-10-20T02:00:00.000Z',
    },
  };
}

/** The same deal under the linear model: credit split between the two touches. */
export function dealUnderLinear(): DealCardData {
  const deal = dealCardData();
  return {
    ...deal,
    attribution: {
      ...deal.attribution,
      model: 'linear',
      byChannel: [
        { channel: 'events', label: 'Events', cents: 500_000 },
        { channel: 'paid_search', label: 'Paid search', cents: 500_000 },
      ],
      touches: deal.attribution.touches.map((t) => ({ ...t, cents: 500_000 })),
    },
  };
}

export function ticketCardData(): TicketCardData {
  return {
    objectType: 'ticket',
    objectId: '1270',
    definitionsVersion: 3,
    inScope: true,
    stage: { id: 'in_delivery', label: 'In delivery' },
    compliance: { status: 'incomplete', score: 75, applicable: 4, passed: 3 },
    checklists: [
      {
        id: 'handoff',
        label: 'Handoff',
        items: [
          {
            id: 'kickoff',
            label: 'Kickoff call held',
            checked: true,
            checkedByUserId: '12',
            checkedByEmail: 'ana@example.com',
            checkedAt: '2026-11-02T09:30:00.000Z',
          },
          {
            id: 'sow',
            label: 'Statement of work shared',
            checked: false,
            checkedByUserId: null,
            checkedByEmail: null,
            checkedAt: null,
          },
        ],
        done: 1,
        total: 2,
        percent: 50,
        complete: false,
        requiredFrom: { id: 'in_delivery', label: 'In delivery' },
      },
    ],
    originDeal: {
      id: '1269',
      name: 'Acme renewal',
      stage: { id: 'won', label: 'Closed won' },
      leadChannel: { value: 'paid_search', label: 'Paid search' },
      contractId: 'CTR-48614',
      slaScope: '99.9% uptime, 4h response',
    },
    dealIds: ['1269'],
    contract: { property: 'clr_contract_id', ticketContractId: 'CTR-48614', status: 'match' },
    changeRequestReason: {
      value: null,
      valid: true,
      picklist: 'change_request_reason',
      options: [
        { value: 'scope_change', label: 'Scope change' },
        { value: 'timeline', label: 'Timeline' },
      ],
    },
    findings: [],
  };
}

export function contactCardData(): ContactCardData {
  const touch = (id: string, occurredAt: string, channel: string, channelLabel: string, campaignId: string | null) => ({
    id,
    occurredAt,
    channel,
    channelLabel,
    trackable: true,
    campaignId,
    source: 'hubspot_event' as const,
  });
  const first = touch('t1', '2026-09-01T10:00:00.000Z', 'paid_search', 'Paid search', 'spring-26');
  const last = touch('t3', '2026-11-05T08:15:00.000Z', 'organic_search', 'Organic search', null);
  return {
    objectType: 'contact',
    objectId: '1049',
    definitionsVersion: 3,
    inScope: true,
    stage: { id: 'mql', label: 'MQL' },
    compliance: { status: 'compliant', score: 100, applicable: 3, passed: 3 },
    timeline: [
      {
        stage: { id: 'lead', label: 'Lead' },
        enteredAt: null,
        current: false,
        skipped: true,
        movedBackFrom: false,
        outOfOrder: false,
      },
      {
        stage: { id: 'mql', label: 'MQL' },
        enteredAt: '2026-11-06T01:00:00.000Z',
        current: true,
        skipped: false,
        movedBackFrom: false,
        outOfOrder: false,
      },
      {
        stage: { id: 'sal', label: 'SAL' },
        enteredAt: '2026-11-04T01:00:00.000Z',
        current: false,
        skipped: false,
        movedBackFrom: true,
        outOfOrder: false,
      },
    ],
    touches: { count: 3, first, last, recent: [last, first] },
    duplicates: { survivorId: '1063', others: [{ id: '1063', survivor: true }], property: 'email' },
    slas: [
      { id: 'lead_acceptance', label: 'Lead acceptance', breached: true, proposedFix: 'Accept or reject the lead.' },
      { id: 'lead_follow_up', label: 'Lead follow-up', breached: false, proposedFix: null },
    ],
    acceptLead: { available: true, property: 'clr_sal_date', reason: null, acceptedAt: null },
    findings: [],
  };
}

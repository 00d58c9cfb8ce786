import { iso } from './iso-time.ts';
import type { CompanyPlan, ContactPlan, DealPlan, EventPlan, StagePath, TicketPlan, TouchPlan } from './plan.ts';
import {
  DEAL_LOST_STAGE,
  DEAL_STAGES,
  DELIVERY_STAGES,
  LIFECYCLE_STAGES,
  OUT_OF_SCOPE_LIFECYCLE_STAGES,
  SUPPORT_STAGES,
} from './vocabulary.ts';

/**
 * Plans rendered in HubSpot's shapes, exactly as the demo fixture holds them: the same property names,
 * the same key order, histories newest first with their `sourceType`, times as ISO strings.
 */

type Properties = Record<string, string>;
type HistoryEntry = { value: string; timestamp: string; sourceType: string };

const setIf = (properties: Properties, name: string, value: string | undefined) => {
  if (value !== undefined) properties[name] = value;
};

/** Date-entered properties in pipeline order, as HubSpot lists them, for the stages the record entered. */
function addDatesEntered(
  properties: Properties,
  path: StagePath,
  order: readonly string[],
  name: (stage: string) => string,
) {
  for (const stage of order) {
    const at = path.dateEntered.get(stage);
    if (at !== undefined) properties[name(stage)] = iso(at);
  }
}

/** Newest first; the oldest value came from a form for contacts (how a lead arrives), else from the CRM UI. */
function history(path: StagePath, firstSource: string): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (let i = path.visits.length - 1; i >= 0; i--) {
    const visit = path.visits[i];
    if (visit)
      entries.push({ value: visit.value, timestamp: iso(visit.at), sourceType: i === 0 ? firstSource : 'CRM_UI' });
  }
  return entries;
}

const lastChange = (path: StagePath, fallback: number) => path.visits.at(-1)?.at ?? fallback;
const currentValue = (path: StagePath) => path.visits.at(-1)?.value ?? '';

const LIFECYCLE_ORDER = [...LIFECYCLE_STAGES, ...OUT_OF_SCOPE_LIFECYCLE_STAGES];
const DEAL_ORDER = [...DEAL_STAGES.map((s) => s.id), DEAL_LOST_STAGE];

export function renderContact(c: ContactPlan) {
  const properties: Properties = {
    createdate: iso(c.createdAt),
    email: c.email,
    firstname: c.firstname,
    lastname: c.lastname,
    hubspot_owner_id: c.ownerId,
    hs_analytics_source: c.analyticsSource,
  };
  addDatesEntered(properties, c.lifecycle, LIFECYCLE_ORDER, (stage) => `hs_lifecyclestage_${stage}_date`);
  properties.lifecyclestage = currentValue(c.lifecycle);
  setIf(properties, 'clr_channel', c.channel);
  setIf(properties, 'clr_offer_id', c.offerId);
  setIf(properties, 'clr_icp_tier', c.icpTier);
  setIf(
    properties,
    'hs_sa_first_engagement_date',
    c.firstEngagementAt === undefined ? undefined : iso(c.firstEngagementAt),
  );
  setIf(properties, 'clr_sal_date', c.salAt === undefined ? undefined : iso(c.salAt));
  setIf(properties, 'clr_product_line', c.productLine);
  return {
    id: c.id,
    createdAt: iso(c.createdAt),
    updatedAt: iso(lastChange(c.lifecycle, c.createdAt)),
    archived: false,
    properties,
    propertiesWithHistory: { lifecyclestage: history(c.lifecycle, 'FORM') },
  };
}

export function renderCompany(c: CompanyPlan) {
  return {
    id: c.id,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    archived: false,
    properties: { createdate: iso(c.createdAt), name: c.name, domain: c.domain },
  };
}

export function renderDeal(d: DealPlan) {
  const properties: Properties = {
    dealname: d.dealname,
    pipeline: 'default',
    hubspot_owner_id: d.ownerId,
    createdate: iso(d.createdAt),
  };
  addDatesEntered(properties, d.stages, DEAL_ORDER, (stage) => `hs_date_entered_${stage}`);
  properties.dealstage = currentValue(d.stages);
  setIf(properties, 'amount', d.amount);
  setIf(properties, 'closedate', d.closedate);
  setIf(properties, 'clr_product_line', d.productLine);
  setIf(properties, 'clr_sla_scope', d.slaScope);
  setIf(properties, 'clr_win_reason', d.winReason);
  setIf(properties, 'clr_loss_reason', d.lossReason);
  setIf(properties, 'clr_contract_id', d.contractId);
  return {
    id: d.id,
    createdAt: iso(d.createdAt),
    updatedAt: iso(lastChange(d.stages, d.createdAt)),
    archived: false,
    properties,
    propertiesWithHistory: { dealstage: history(d.stages, 'CRM_UI') },
  };
}

export function renderTicket(t: TicketPlan) {
  const properties: Properties = {
    subject: t.subject,
    hs_pipeline: t.pipeline,
    hubspot_owner_id: t.ownerId,
    createdate: iso(t.createdAt),
  };
  const order = t.pipeline === 'delivery' ? DELIVERY_STAGES : SUPPORT_STAGES;
  addDatesEntered(properties, t.stages, order, (stage) => `hs_v2_date_entered_${stage}`);
  properties.hs_pipeline_stage = currentValue(t.stages);
  setIf(properties, 'clr_contract_id', t.contractId);
  setIf(properties, 'clr_change_request_reason', t.changeRequestReason);
  return {
    id: t.id,
    createdAt: iso(t.createdAt),
    updatedAt: iso(lastChange(t.stages, t.createdAt)),
    archived: false,
    properties,
    propertiesWithHistory: { hs_pipeline_stage: history(t.stages, 'CRM_UI') },
  };
}

export type ObjectType = 'contacts' | 'companies' | 'deals' | 'tickets';

export function renderAssociation(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string) {
  return { from: { type: fromType, id: fromId }, to: { type: toType, id: toId } };
}

export function renderEvent(e: EventPlan) {
  const properties: Properties = { hs_url: e.url };
  if (e.utm) {
    properties.hs_utm_medium = e.utm.medium;
    properties.hs_utm_source = e.utm.source;
    properties.hs_utm_campaign = e.utm.campaign;
    setIf(properties, 'hs_utm_content', e.utm.content);
  }
  return {
    id: e.id,
    eventType: e.eventType,
    objectType: 'contacts',
    objectId: e.contactId,
    occurredAt: iso(e.occurredAt),
    properties,
  };
}

export function renderTouch(t: TouchPlan) {
  return {
    contactEmail: t.contactEmail,
    occurredAt: iso(t.occurredAt),
    channel: t.channel,
    campaignId: t.campaignId,
    offerId: t.offerId,
    contentId: t.contentId,
  };
}

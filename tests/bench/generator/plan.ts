/**
 * The plan of one block of the portal: every random decision already taken, held as numbers and final
 * strings. Planning is cheap and rendering (HubSpot's shapes, ISO dates, JSON) is not, so the generator
 * plans a block once per section it writes but renders each record only in the section it belongs to.
 *
 * Times are epoch milliseconds. An optional string field left undefined is absent from the record; a
 * field that is present but blank ('' or spaces) is how HubSpot shows a cleared value.
 */

/** The stage property held `value` from `at` on. */
export type StageVisit = { value: string; at: number };

/** A stage property's history (oldest first) and its date-entered properties (stage value → time). */
export type StagePath = { visits: StageVisit[]; dateEntered: Map<string, number> };

export type CompanyPlan = { id: string; createdAt: number; updatedAt: number; name: string; domain: string };

export type EventPlan = {
  id: string;
  eventType: 'e_visited_page' | 'e_submitted_form';
  contactId: string;
  occurredAt: number;
  url: string;
  /** Undefined: a visit with no UTM tags at all (only `hs_url`). */
  utm?: { medium: string; source: string; campaign: string; content?: string };
};

/** A touch the demo sends to the app's ingest API (not HubSpot data). */
export type TouchPlan = {
  contactEmail: string;
  occurredAt: number;
  channel: string;
  campaignId: string;
  offerId: string;
  contentId: string | null;
};

export type ContactPlan = {
  id: string;
  createdAt: number;
  email: string;
  firstname: string;
  lastname: string;
  ownerId: string;
  analyticsSource: string;
  lifecycle: StagePath;
  channel?: string;
  offerId?: string;
  icpTier?: string;
  firstEngagementAt?: number;
  salAt?: number;
  productLine?: string;
  companyId: string;
  events: EventPlan[];
  touch?: TouchPlan;
};

export type TicketPlan = {
  id: string;
  pipeline: 'delivery' | '0';
  createdAt: number;
  subject: string;
  ownerId: string;
  stages: StagePath;
  contractId?: string;
  changeRequestReason?: string;
  /** The deal the ticket is associated with; undefined for a ticket nobody linked to its deal. */
  dealId?: string;
};

export type DealPlan = {
  id: string;
  createdAt: number;
  dealname: string;
  ownerId: string;
  stages: StagePath;
  amount?: string;
  closedate?: string;
  productLine?: string;
  slaScope?: string;
  winReason?: string;
  lossReason?: string;
  contractId?: string;
  /** Associated contacts; empty for a deal nobody linked to its buyer. */
  contactIds: string[];
};

export type BlockPlan = {
  companies: CompanyPlan[];
  contacts: ContactPlan[];
  deals: DealPlan[];
  tickets: TicketPlan[];
};

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

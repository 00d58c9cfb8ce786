import { DAY, HOUR } from './plan.ts';

/** What every planner needs to know about the portal being generated. */
export type PlanContext = {
  seed: number;
  /** The fixture's clock: nothing happens after it (but an open deal's expected close date may). */
  now: number;
  /** Total contacts of the portal. */
  contacts: number;
  ownerIds: readonly string[];
};

/**
 * The portal is generated in blocks of contacts. A block owns its companies, deals, tickets, events and
 * touches, and draws them from its own PRNG streams, so any block can be planned alone from (seed, index).
 */
export const BLOCK_SIZE = 1000;
/** Companies per contact, as in the demo fixture. */
export const COMPANIES_PER_CONTACT = 0.25;
export const COMPANIES_PER_FULL_BLOCK = Math.round(BLOCK_SIZE * COMPANIES_PER_CONTACT);
/** Most web events one contact has. */
export const MAX_EVENTS_PER_CONTACT = 6;

export const blockCount = (contacts: number) => Math.ceil(contacts / BLOCK_SIZE);

/** The contacts of block `b`: global indexes [start, end). */
export function blockRange(contacts: number, b: number): { start: number; end: number } {
  const start = b * BLOCK_SIZE;
  return { start, end: Math.min(contacts, start + BLOCK_SIZE) };
}

/**
 * Ids: numeric strings, unique across object types (and events) like HubSpot's, ascending within each
 * type. Each id is a fixed function of the block and the contact it belongs to, not a running counter,
 * so a pass that plans only some kinds of record still names every record as every other pass does.
 * Block layout: its companies, then ten ids a contact (the contact, six events, its deal, the deal's
 * delivery ticket, its support ticket).
 */
const FIRST_ID = 1000;
const IDS_PER_CONTACT = 10;
const IDS_PER_BLOCK = COMPANIES_PER_FULL_BLOCK + BLOCK_SIZE * IDS_PER_CONTACT;

export type BlockIds = {
  company(j: number): string;
  /** `i` is the contact's index within the block. */
  contact(i: number): string;
  event(i: number, k: number): string;
  deal(i: number): string;
  deliveryTicket(i: number): string;
  supportTicket(i: number): string;
};

export function blockIds(b: number): BlockIds {
  const base = FIRST_ID + b * IDS_PER_BLOCK;
  const slot = (i: number, offset: number) => String(base + COMPANIES_PER_FULL_BLOCK + i * IDS_PER_CONTACT + offset);
  return {
    company: (j) => String(base + j),
    contact: (i) => slot(i, 0),
    event: (i, k) => slot(i, 1 + k),
    deal: (i) => slot(i, 1 + MAX_EVENTS_PER_CONTACT),
    deliveryTicket: (i) => slot(i, 2 + MAX_EVENTS_PER_CONTACT),
    supportTicket: (i) => slot(i, 3 + MAX_EVENTS_PER_CONTACT),
  };
}

export const floorToDay = (t: number) => Math.floor(t / DAY) * DAY;
export const floorToHour = (t: number) => Math.floor(t / HOUR) * HOUR;

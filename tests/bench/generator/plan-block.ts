import { planEvents, planTouch } from './plan-activity.ts';
import type { BlockPlan, ContactPlan, DealPlan, TicketPlan } from './plan.ts';
import { planCompanies } from './plan-companies.ts';
import { planContact } from './plan-contact.ts';
import { blockIds, blockRange } from './plan-context.ts';
import type { PlanContext } from './plan-context.ts';
import { planDeal } from './plan-deal.ts';
import { planDeliveryTicket, planSupportTicket } from './plan-ticket.ts';
import { createRng, STREAM } from './random.ts';

/** What a section needs planned: contacts need the companies; events and deals need the contacts. */
export type BlockNeeds = { contacts: boolean; events: boolean; deals: boolean };
export const EVERYTHING: BlockNeeds = { contacts: true, events: true, deals: true };

/**
 * Plans block `b` from (seed, b) alone. Each kind of record draws from its own stream and every id is
 * fixed by the block layout, so planning less (only what a section needs) plans the rest identically.
 */
export function planBlock(ctx: PlanContext, b: number, needs: BlockNeeds = EVERYTHING): BlockPlan {
  const ids = blockIds(b);
  const { start, end } = blockRange(ctx.contacts, b);
  const block: BlockPlan = { companies: [], contacts: [], deals: [], tickets: [] };
  block.companies = planCompanies(createRng(ctx.seed, STREAM.companies, b), ctx, b, end - start, ids);
  if (!needs.contacts && !needs.events && !needs.deals) return block;

  const contactRng = createRng(ctx.seed, STREAM.contacts, b);
  const contacts: ContactPlan[] = block.contacts;
  for (let index = start; index < end; index++) {
    contacts.push(
      planContact(contactRng, ctx, { index, local: index - start, ids, companies: block.companies, earlier: contacts }),
    );
  }

  if (needs.events) {
    const rng = createRng(ctx.seed, STREAM.events, b);
    contacts.forEach((contact, i) => {
      contact.events = planEvents(rng, contact, ctx.now, (k) => ids.event(i, k));
      // Offline touches only for contacts with web events, so a contact without events keeps either only
      // its original source or no touch at all: the two cases attribution must tell apart.
      if (contact.events.length > 0 && contact.email.trim() !== '' && rng.chance(0.06)) {
        contact.touch = planTouch(rng, contact, ctx.now);
      }
    });
  }

  if (needs.deals) {
    const rng = createRng(ctx.seed, STREAM.deals, b);
    const deals: DealPlan[] = block.deals;
    const tickets: TicketPlan[] = block.tickets;
    contacts.forEach((contact, i) => {
      const deal = planDeal(rng, ctx, contact, contacts, ids.deal(i));
      const delivery = deal && planDeliveryTicket(rng, ctx, deal, ids.deliveryTicket(i));
      const support = rng.chance(0.005) ? planSupportTicket(rng, ctx, contact, ids.supportTicket(i)) : undefined;
      if (deal) deals.push(deal);
      if (delivery) tickets.push(delivery);
      if (support) tickets.push(support);
    });
  }
  return block;
}

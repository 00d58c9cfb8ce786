import type { Fixture } from '../../../../server/sandbox/fixture.ts';
import type { Sandbox } from '../../../../server/sandbox/server.ts';

/** Every HubSpot API call the sandbox answered for the portal, refused ones included (OAuth aside). */
export function sandboxCalls(sandbox: Sandbox): number {
  const { accepted, rejected } = sandbox.plugins.budget.counters(sandbox.portalId);
  return accepted.standard + accepted.search + rejected.standard + rejected.search;
}

export type FixtureCounts = {
  contacts: number;
  companies: number;
  deals: number;
  tickets: number;
  owners: number;
  contactEvents: number;
};

export function countsOf(fixture: Fixture): FixtureCounts {
  const live = (type: keyof Fixture['objects']) => (fixture.objects[type] ?? []).filter((r) => !r.archived).length;
  return {
    contacts: live('contacts'),
    companies: live('companies'),
    deals: live('deals'),
    tickets: live('tickets'),
    owners: fixture.owners.filter((o) => !o.archived).length,
    contactEvents: fixture.events.filter((e) => e.objectType === 'contacts').length,
  };
}

/**
 * The fewest calls a full sync can make for the data: list pages (50 a page with stage history:
 * contacts, deals, tickets; 100 for companies), association batches of 1,000 ids from the smaller
 * side of each pair, one pipelines call per object type, owner pages of 500, event pages of 1,000.
 */
export function minimumCalls(c: FixtureCounts): number {
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  const objects = pages(c.contacts, 50) + pages(c.companies, 100) + pages(c.deals, 50) + pages(c.tickets, 50);
  const batches = (a: number, b: number) => pages(Math.min(a, b), 1_000);
  const associations =
    batches(c.contacts, c.companies) +
    batches(c.contacts, c.deals) +
    batches(c.deals, c.tickets) +
    batches(c.deals, c.companies);
  return objects + associations + 2 + pages(c.owners, 500) + pages(c.contactEvents, 1_000);
}

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
  /** Records in the recycle bin, all types. */
  archived: { contacts: number; companies: number; deals: number; tickets: number };
  owners: number;
  /** Owners whose user was deactivated (HubSpot lists them only with `archived=true`). */
  archivedOwners: number;
  contactEvents: number;
};

export function countsOf(fixture: Fixture): FixtureCounts {
  const live = (type: keyof Fixture['objects']) => (fixture.objects[type] ?? []).filter((r) => !r.archived).length;
  const archived = (type: keyof Fixture['objects']) => (fixture.objects[type] ?? []).filter((r) => r.archived).length;
  return {
    contacts: live('contacts'),
    companies: live('companies'),
    deals: live('deals'),
    tickets: live('tickets'),
    archived: {
      contacts: archived('contacts'),
      companies: archived('companies'),
      deals: archived('deals'),
      tickets: archived('tickets'),
    },
    owners: fixture.owners.filter((o) => !o.archived).length,
    archivedOwners: fixture.owners.filter((o) => o.archived).length,
    contactEvents: fixture.events.filter((e) => e.objectType === 'contacts').length,
  };
}

/**
 * The fewest calls a full sync can make for the data: list pages (50 a page with stage history:
 * contacts, deals, tickets; 100 for companies), recycle-bin pages of 100 per type, association batches
 * of 1,000 ids from the smaller side of each pair, one pipelines call per object type, owner pages of
 * 500 (active and deactivated owners are two listings), event pages of 1,000.
 */
export function minimumCalls(c: FixtureCounts): number {
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  const objects = pages(c.contacts, 50) + pages(c.companies, 100) + pages(c.deals, 50) + pages(c.tickets, 50);
  const recycleBin = Object.values(c.archived).reduce((sum, n) => sum + pages(n, 100), 0);
  const batches = (a: number, b: number) => pages(Math.min(a, b), 1_000);
  const associations =
    batches(c.contacts, c.companies) +
    batches(c.contacts, c.deals) +
    batches(c.deals, c.tickets) +
    batches(c.deals, c.companies);
  const owners = pages(c.owners, 500) + pages(c.archivedOwners, 500);
  return objects + recycleBin + associations + 2 + owners + pages(c.contactEvents, 1_000);
}

/** The same counts, read from a running sandbox (no need to parse a large fixture file again). */
export function countsOfSandbox(sandbox: Sandbox): FixtureCounts {
  const { store } = sandbox;
  const live = (type: keyof typeof store.tables) => [...store.tables[type].all()].filter((r) => !r.archived).length;
  const archived = (type: keyof typeof store.tables) => store.tables[type].size - live(type);
  return {
    contacts: live('contacts'),
    companies: live('companies'),
    deals: live('deals'),
    tickets: live('tickets'),
    archived: {
      contacts: archived('contacts'),
      companies: archived('companies'),
      deals: archived('deals'),
      tickets: archived('tickets'),
    },
    owners: store.owners.filter((o) => !o.archived).length,
    archivedOwners: store.owners.filter((o) => o.archived).length,
    contactEvents: store.events.filter((e) => e.objectType === 'contacts').length,
  };
}

export type ChangedCounts = { contacts: number; companies: number; deals: number; tickets: number };

/** Partner types whose associations the mirror keeps, per type (contact↔company, contact↔deal, deal↔ticket, deal↔company). */
const PARTNERS: ChangedCounts = { contacts: 2, companies: 2, deals: 3, tickets: 1 };

/**
 * The fewest calls an incremental sync can make for these changes when owners, pipelines and the
 * recycle bin are not due: per type a search (200 a page, one even when nothing changed), the changed
 * records' stage history again (50 a call; not companies), their associations with each partner type
 * (1,000 ids a call), and the events since the last run (1,000 a page, one call at least).
 */
export function incrementalMinimumCalls(changed: ChangedCounts, newEvents = 0): number {
  const pages = (n: number, size: number) => Math.ceil(n / size);
  let calls = Math.max(1, pages(newEvents, 1_000));
  for (const type of Object.keys(changed) as (keyof ChangedCounts)[]) {
    const n = changed[type];
    calls += Math.max(1, pages(n, 200));
    if (n === 0) continue;
    if (type !== 'companies') calls += pages(n, 50);
    calls += PARTNERS[type] * pages(n, 1_000);
  }
  return calls;
}

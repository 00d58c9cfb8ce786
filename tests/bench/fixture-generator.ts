import { z } from 'zod';
import { createChunkWriter } from './generator/chunk-writer.ts';
import type { ChunkSink, ChunkWriter } from './generator/chunk-writer.ts';
import type { BlockPlan } from './generator/plan.ts';
import { planBlock } from './generator/plan-block.ts';
import type { BlockNeeds } from './generator/plan-block.ts';
import { blockCount } from './generator/plan-context.ts';
import type { PlanContext } from './generator/plan-context.ts';
import { ownerCount, planOwners, planSpend } from './generator/plan-portal.ts';
import {
  renderAssociation,
  renderCompany,
  renderContact,
  renderDeal,
  renderEvent,
  renderTicket,
  renderTouch,
} from './generator/render.ts';
import { PIPELINES } from './generator/vocabulary.ts';

export type { ChunkSink } from './generator/chunk-writer.ts';

/**
 * Generates a sandbox portal fixture (`closed-loop-portal-fixture/1`) of any size, streaming.
 *
 * The document's sections come one after another (all contacts, then all companies, …), but a deal
 * belongs with its contacts. Rather than hold the portal in memory, the generator plans the portal in
 * blocks of contacts, each from its own PRNG streams with ids fixed by the block's layout, and for each
 * section plans every block again (only what that section needs) and writes only that section's records.
 * Memory stays at one block whatever the size; planning is cheap, rendering (once per record) is what costs.
 */

export const DEFAULT_NOW = '2026-11-01T00:00:00.000Z';
export const DEFAULT_PORTAL_ID = 9000001;

export const GenerateFixtureOptionsSchema = z.object({
  contacts: z.int().min(1).max(50_000_000),
  seed: z.int(),
  now: z.iso.datetime().default(DEFAULT_NOW),
  portalId: z.int().positive().default(DEFAULT_PORTAL_ID),
});
export type GenerateFixtureOptions = z.input<typeof GenerateFixtureOptionsSchema>;

/** What a generated fixture holds: what a test needs to compute expected API calls from. */
export type FixtureCounts = {
  contacts: number;
  companies: number;
  deals: number;
  tickets: number;
  associations: number;
  events: number;
  ingestTouches: number;
  spendRows: number;
  owners: number;
  /** UTF-8 bytes of the document. */
  bytes: number;
};

/** Writes the records as the rest of a JSON array (its `[` is written already), one a line; returns the count. */
async function writeArray(out: ChunkWriter, records: Iterable<unknown>): Promise<number> {
  let count = 0;
  for (const record of records) {
    const pending = out.push((count === 0 ? '\n' : ',\n') + JSON.stringify(record));
    if (pending) await pending;
    count++;
  }
  const pending = out.push(count === 0 ? ']' : '\n]');
  if (pending) await pending;
  return count;
}

/** The records of one section, from every block in order, planning again what the section needs. */
function* fromEveryBlock<T>(
  ctx: PlanContext,
  needs: BlockNeeds,
  records: (block: BlockPlan) => Iterable<T>,
): Iterable<T> {
  for (let b = 0; b < blockCount(ctx.contacts); b++) yield* records(planBlock(ctx, b, needs));
}

const COMPANIES: BlockNeeds = { contacts: false, events: false, deals: false };
const CONTACTS: BlockNeeds = { contacts: true, events: false, deals: false };
const EVENTS: BlockNeeds = { contacts: true, events: true, deals: false };
const DEALS: BlockNeeds = { contacts: true, events: false, deals: true };

function* mapped<P, R>(plans: readonly P[], render: (plan: P) => R): Iterable<R> {
  for (const plan of plans) yield render(plan);
}

function* associationsOf(block: BlockPlan) {
  for (const contact of block.contacts) yield renderAssociation('contacts', contact.id, 'companies', contact.companyId);
  for (const deal of block.deals) {
    for (const contactId of deal.contactIds) yield renderAssociation('contacts', contactId, 'deals', deal.id);
  }
  for (const ticket of block.tickets) {
    if (ticket.dealId !== undefined) yield renderAssociation('deals', ticket.dealId, 'tickets', ticket.id);
  }
}

function* eventsOf(block: BlockPlan) {
  for (const contact of block.contacts) for (const event of contact.events) yield renderEvent(event);
}

function* touchesOf(block: BlockPlan) {
  for (const contact of block.contacts) if (contact.touch) yield renderTouch(contact.touch);
}

/**
 * Writes the fixture for `options` to `write`, in chunks of about 64 KiB (awaiting the sink when it
 * returns a promise), and returns what it holds. The same options give the same bytes.
 */
export async function generateFixture(options: GenerateFixtureOptions, write: ChunkSink): Promise<FixtureCounts> {
  const { contacts, seed, now, portalId } = GenerateFixtureOptionsSchema.parse(options);
  const owners = planOwners(ownerCount(contacts));
  const ctx: PlanContext = { seed, now: Date.parse(now), contacts, ownerIds: owners.map((o) => o.id) };
  const out = createChunkWriter(write);
  const put = async (text: string) => {
    const pending = out.push(text);
    if (pending) await pending;
  };

  const head = { format: 'closed-loop-portal-fixture/1', portalId, now, owners, pipelines: PIPELINES };
  await put(`${JSON.stringify(head).slice(0, -1)},\n"objects":{"contacts":[`);
  const contactCount = await writeArray(
    out,
    fromEveryBlock(ctx, CONTACTS, (b) => mapped(b.contacts, renderContact)),
  );
  await put(',\n"companies":[');
  const companies = await writeArray(
    out,
    fromEveryBlock(ctx, COMPANIES, (b) => mapped(b.companies, renderCompany)),
  );
  await put(',\n"deals":[');
  const deals = await writeArray(
    out,
    fromEveryBlock(ctx, DEALS, (b) => mapped(b.deals, renderDeal)),
  );
  await put(',\n"tickets":[');
  const tickets = await writeArray(
    out,
    fromEveryBlock(ctx, DEALS, (b) => mapped(b.tickets, renderTicket)),
  );
  await put('},\n"associations":[');
  const associations = await writeArray(out, fromEveryBlock(ctx, DEALS, associationsOf));
  await put(',\n"events":[');
  const events = await writeArray(out, fromEveryBlock(ctx, EVENTS, eventsOf));
  await put(',\n"ingest":{"touches":[');
  const ingestTouches = await writeArray(out, fromEveryBlock(ctx, EVENTS, touchesOf));
  const spend = planSpend(ctx);
  await put(`,\n"spend":[`);
  await writeArray(out, spend);
  await put('}}\n');
  const flushed = out.flush();
  if (flushed) await flushed;

  return {
    contacts: contactCount,
    companies,
    deals,
    tickets,
    associations,
    events,
    ingestTouches,
    spendRows: spend.length,
    owners: owners.length,
    bytes: out.bytes,
  };
}

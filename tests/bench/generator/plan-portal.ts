import type { PlanContext } from './plan-context.ts';
import { createRng, STREAM } from './random.ts';
import { FIRST_NAMES, LAST_NAMES, SPEND_PER_150_CONTACTS } from './vocabulary.ts';

/** The portal-wide parts: owners and monthly ad spend. Small, so they are built whole. */

export type Owner = { id: string; email: string; firstName: string; lastName: string };
export type SpendRow = { month: string; channel: string; cents: number };

/** One sales owner per 2,000 contacts, at least the demo's three, and owner ids below the object ids. */
export function ownerCount(contacts: number): number {
  return Math.min(499, Math.max(3, Math.ceil(contacts / 2000)));
}

export function planOwners(count: number): Owner[] {
  return Array.from({ length: count }, (_, k) => {
    const firstName = FIRST_NAMES[k % FIRST_NAMES.length] ?? 'Ana';
    const lastName = LAST_NAMES[k % LAST_NAMES.length] ?? 'Ruiz';
    const suffix = k < FIRST_NAMES.length ? '' : String(k);
    return {
      id: String(501 + k),
      email: `${firstName}.${lastName}${suffix}@example.com`.toLowerCase(),
      firstName,
      lastName,
    };
  });
}

/** Ad spend for the twelve months before `now`, per paid channel, scaled with the portal's size. */
export function planSpend(ctx: PlanContext): SpendRow[] {
  const rng = createRng(ctx.seed, STREAM.spend);
  const scale = ctx.contacts / 150;
  const now = new Date(ctx.now);
  const rows: SpendRow[] = [];
  for (let back = 12; back >= 1; back--) {
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    const month = first.toISOString().slice(0, 7);
    for (const [channel, cents] of SPEND_PER_150_CONTACTS) {
      rows.push({ month, channel, cents: Math.round(cents * scale * (0.5 + rng.next())) });
    }
  }
  return rows;
}

import {
  amountInCents,
  contactIndex,
  createAttributionEngine,
  DAY_MS,
  type ContactIndex,
  type CreditKind,
  type CreditRow,
  type DealForAttribution,
  type Touch,
} from '../../../server/domain/attribution/index.ts';
import { DEFAULT_DEFINITIONS, type Definitions } from '../../../server/domain/policy/index.ts';

/** Day 0 of the hand-computed examples; times are given in days from it. */
export const EPOCH = Date.UTC(2026, 0, 1);
export const day = (d: number): number => EPOCH + d * DAY_MS;

export function touch(id: string, contactId: string, time: number, over: Partial<Touch> = {}): Touch {
  return {
    id,
    contactId,
    time,
    channel: 'email',
    trackable: true,
    campaignId: null,
    offerId: null,
    contentId: null,
    source: 'hubspot_event',
    ...over,
  };
}

export type Scenario = { deal: DealForAttribution; contacts: ContactIndex };

export function scenario(options: {
  amount: string | null;
  createdDay: number | undefined;
  closedDay?: number;
  stage?: string;
  inScope?: boolean;
  contacts: { id: string; createdDay?: number }[];
  touches: Touch[];
  contactIds?: string[];
}): Scenario {
  const byContact = new Map<string, Touch[]>();
  for (const t of options.touches) byContact.set(t.contactId, [...(byContact.get(t.contactId) ?? []), t]);
  const createdAt = new Map(
    options.contacts.map((c) => [c.id, c.createdDay === undefined ? undefined : day(c.createdDay)] as const),
  );
  return {
    deal: {
      id: 'deal-1',
      inScope: options.inScope ?? true,
      stage: options.stage ?? 'discovery',
      createdAt: options.createdDay === undefined ? undefined : day(options.createdDay),
      closedAt: options.closedDay === undefined ? undefined : day(options.closedDay),
      amountCents: amountInCents(options.amount),
      contactIds: options.contactIds ?? options.contacts.map((c) => c.id),
    },
    contacts: contactIndex(byContact, createdAt),
  };
}

export function creditRows(
  s: Scenario,
  definitions: Pick<Definitions, 'attribution'> = DEFAULT_DEFINITIONS,
): CreditRow[] {
  return createAttributionEngine(definitions).creditDeal(s.deal, s.contacts);
}

/** The cents each touch gets under one model and kind (`null` for the unattributed row). */
export function centsByTouch(rows: readonly CreditRow[], model: string, kind: CreditKind): Record<string, number> {
  return Object.fromEntries(
    rows.filter((r) => r.model === model && r.kind === kind).map((r) => [String(r.touchId), r.cents]),
  );
}

export const MODEL_IDS = DEFAULT_DEFINITIONS.attribution.models.map((m) => m.id);

import { emailVariant, missingValue, picklistValue, requiredText } from './field-values.ts';
import type { CompanyPlan, ContactPlan, StagePath, StageVisit } from './plan.ts';
import { DAY, HOUR } from './plan.ts';
import { floorToDay } from './plan-context.ts';
import type { BlockIds, PlanContext } from './plan-context.ts';
import type { Rng } from './random.ts';
import { pickAnomaly, placePath, shapePath, stageGaps } from './stage-path.ts';
import {
  ANALYTICS_SOURCES,
  FIRST_NAMES,
  LAST_NAMES,
  LIFECYCLE_STAGES,
  OFFER_IDS,
  OUT_OF_SCOPE_LIFECYCLE_STAGES,
  PICKLISTS,
} from './vocabulary.ts';

const MQL = 'marketingqualifiedlead';
/** How far back contacts were created: the demo spans about fifteen months before `now`. */
const HISTORY_DAYS = 470;

/** The funnel's shape: most contacts stay leads; -1 is a lifecycle stage outside the policy. */
const TARGET_RANKS: readonly (readonly [number, number])[] = [
  [-1, 3],
  [0, 42],
  [1, 30],
  [2, 12],
  [3, 8],
  [4, 5],
];

export const lifecycleRank = (value: string) => LIFECYCLE_STAGES.indexOf(value);

/** The furthest lifecycle stage the contact reached (-1: never in the policy's stages). */
export function maxLifecycleRank(visits: readonly StageVisit[]): number {
  let max = -1;
  for (const visit of visits) max = Math.max(max, lifecycleRank(visit.value));
  return max;
}

/** The contact's lifecycle history and its create date, chosen so the history ends before `now`. */
function planLifecycle(rng: Rng, now: number): { createdAt: number; lifecycle: StagePath } {
  const target = rng.weighted(TARGET_RANKS);
  const firstOffset = rng.int(1, 20) * HOUR;
  if (target < 0) {
    const createdAt = floorToDay(now - rng.int(1, HISTORY_DAYS) * DAY);
    const value = rng.pick(OUT_OF_SCOPE_LIFECYCLE_STAGES);
    const at = createdAt + firstOffset;
    return { createdAt, lifecycle: { visits: [{ value, at }], dateEntered: new Map([[value, at]]) } };
  }
  const nominal = LIFECYCLE_STAGES.slice(0, target + 1).map((value, group) => ({ value, group }));
  const shaped = shapePath(rng, nominal, pickAnomaly(rng));
  const gaps = stageGaps(rng, shaped.stages.length, 24, 40 * 24);
  const span = gaps.reduce((sum, gap) => sum + gap, 0) + firstOffset + HOUR;
  const earliest = now - HISTORY_DAYS * DAY;
  const createdAt = floorToDay(earliest + rng.next() * Math.max(0, now - span - earliest));
  return { createdAt, lifecycle: placePath(rng, shaped, gaps, createdAt + firstOffset) };
}

/**
 * When the contact became a SAL (`clr_sal_date`): usually within the 48 h the SLA allows, sometimes
 * later, never after the next stage change; absent for many MQLs and some later contacts.
 */
function planSalDate(rng: Rng, visits: readonly StageVisit[], maxRank: number, now: number): number | undefined {
  const mqlIndex = visits.findIndex((v) => v.value === MQL);
  const mql = visits[mqlIndex];
  if (!mql || !rng.chance(maxRank >= 2 ? 0.85 : 0.5)) return undefined;
  const late = rng.chance(0.1);
  let at = mql.at + (late ? rng.int(49, 120) : rng.int(2, 46)) * HOUR;
  const next = visits[mqlIndex + 1];
  if (next && at >= next.at) at = mql.at + Math.floor((next.at - mql.at) / 2 / HOUR) * HOUR;
  return at < now ? at : undefined;
}

/** HubSpot's first sales engagement after the MQL: usually within the 24 h SLA, sometimes late or never. */
function planFirstEngagement(rng: Rng, visits: readonly StageVisit[], now: number): number | undefined {
  const mql = visits.find((v) => v.value === MQL);
  if (!mql) return undefined;
  const r = rng.next();
  if (r < 0.08) return undefined;
  const at = mql.at + (r < 0.15 ? rng.int(25, 96) : rng.int(1, 23)) * HOUR;
  return at < now ? at : undefined;
}

export type ContactSeat = {
  /** Global index of the contact, which keeps its email unique across blocks. */
  index: number;
  /** Index of the contact within its block, which fixes its ids. */
  local: number;
  ids: BlockIds;
  companies: readonly CompanyPlan[];
  /** Contacts planned earlier in the block: a duplicate copies one of them. */
  earlier: readonly ContactPlan[];
};

/** A contact without its web activity (planned apart, from the block's events stream). */
export function planContact(rng: Rng, ctx: PlanContext, seat: ContactSeat): ContactPlan {
  const id = seat.ids.contact(seat.local);
  const { createdAt, lifecycle } = planLifecycle(rng, ctx.now);
  const company = rng.pick(seat.companies);

  let firstname: string = rng.pick(FIRST_NAMES);
  let lastname: string = rng.pick(LAST_NAMES);
  let email = `${firstname}.${lastname}${seat.index}@${company.domain.trim()}`.toLowerCase();
  const original = seat.earlier.length > 0 && rng.chance(0.025) ? rng.pick(seat.earlier) : undefined;
  if (original && original.email.trim() !== '') {
    // A second record of the same person (another form, an import): same name, same email in another spelling.
    firstname = original.firstname;
    lastname = original.lastname;
    email = emailVariant(rng, original.email.trim());
  } else if (rng.chance(0.006)) {
    email = missingValue(rng) ?? '';
  }

  const maxRank = maxLifecycleRank(lifecycle.visits);
  const contact: ContactPlan = {
    id,
    createdAt,
    email,
    firstname,
    lastname,
    ownerId: rng.pick(ctx.ownerIds),
    analyticsSource: rng.chance(0.25) ? '' : rng.pick(ANALYTICS_SOURCES),
    lifecycle,
    companyId: company.id,
    events: [],
  };
  if (maxRank >= 1) {
    contact.channel = picklistValue(rng, PICKLISTS.channel, 0.07, 0.04);
    contact.offerId = requiredText(rng, rng.pick(OFFER_IDS), 0.07);
    contact.icpTier = picklistValue(rng, PICKLISTS.icpTier, 0.07, 0.04);
    contact.firstEngagementAt = planFirstEngagement(rng, lifecycle.visits, ctx.now);
    contact.salAt = planSalDate(rng, lifecycle.visits, maxRank, ctx.now);
  }
  if (maxRank >= 2) contact.productLine = picklistValue(rng, PICKLISTS.productLine, 0.07, 0.04);
  return contact;
}

import { amountValue, missingValue, picklistValue, requiredText } from './field-values.ts';
import type { ContactPlan, DealPlan } from './plan.ts';
import { DAY, HOUR } from './plan.ts';
import { floorToHour } from './plan-context.ts';
import type { PlanContext } from './plan-context.ts';
import { maxLifecycleRank } from './plan-contact.ts';
import type { Rng } from './random.ts';
import type { PathStage, ShapeRules } from './stage-path.ts';
import { pickAnomaly, placePath, shapePath, stageGaps } from './stage-path.ts';
import { DEAL_LOST_STAGE, DEAL_STAGES, PICKLISTS, SLA_SCOPES } from './vocabulary.ts';

/** Where open deals stand (index into DEAL_STAGES): spread over the pipeline, a few more early on. */
const OPEN_STAGE_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 20],
  [1, 25],
  [2, 20],
  [3, 15],
  [4, 20],
];
/** Closed Lost's rank for shaping a path: after every open stage (it is never skipped, nor moved back from). */
const LOST_GROUP = 4;

type DealOutcome = { kind: 'won' } | { kind: 'lost' } | { kind: 'open'; stage: number };

/** Whether the contact's journey produced a deal, and how far it got: customers won one, most opportunities have one. */
function dealOutcome(rng: Rng, contact: ContactPlan): DealOutcome | undefined {
  const maxRank = maxLifecycleRank(contact.lifecycle.visits);
  if (maxRank >= 4) return rng.chance(0.95) ? { kind: 'won' } : undefined;
  if (maxRank === 3) {
    if (!rng.chance(0.9)) return undefined;
    return rng.chance(0.3) ? { kind: 'lost' } : { kind: 'open', stage: rng.weighted(OPEN_STAGE_WEIGHTS) };
  }
  if (maxRank === 2 && rng.chance(0.35)) {
    return rng.chance(0.4) ? { kind: 'lost' } : { kind: 'open', stage: rng.int(0, 1) };
  }
  return undefined;
}

/**
 * The deal's nominal path in pipeline order. Reps skip a sibling stage of the same closed-loop stage
 * now and then (Qualified to buy, Decision maker bought-in), which is not a skipped closed-loop stage.
 */
function nominalDealPath(rng: Rng, outcome: DealOutcome): PathStage[] {
  const last =
    outcome.kind === 'won' ? DEAL_STAGES.length - 1 : outcome.kind === 'open' ? outcome.stage : rng.int(0, 4);
  const path: PathStage[] = DEAL_STAGES.slice(0, last + 1)
    .filter(
      (s, i) =>
        i === last || i === 0 || !(s.id === 'qualifiedtobuy' || s.id === 'decisionmakerboughtin') || !rng.chance(0.15),
    )
    .map((s) => ({ value: s.id, group: s.group }));
  if (outcome.kind === 'lost') path.push({ value: DEAL_LOST_STAGE, group: LOST_GROUP });
  return path;
}

/** A lost deal is only expected to have passed Discovery, so only skipping Discovery is a gap in it. */
const DEAL_SHAPE_RULES: ShapeRules = {
  noBackwardFrom: [DEAL_LOST_STAGE],
  skippable: (group, last) => last.value !== DEAL_LOST_STAGE || group === 0,
};

const productLabel = (rng: Rng) => rng.pick(PICKLISTS.productLine.options).replace('_', ' ');

/** When the deal was opened: around the contact becoming an opportunity (else an SQL), early enough to fit. */
function dealAnchor(contact: ContactPlan): number {
  const visits = contact.lifecycle.visits;
  const at = (value: string) => visits.find((v) => v.value === value)?.at;
  return at('opportunity') ?? at('salesqualifiedlead') ?? visits.at(-1)?.at ?? contact.createdAt;
}

export function planDeal(
  rng: Rng,
  ctx: PlanContext,
  contact: ContactPlan,
  blockContacts: readonly ContactPlan[],
  id: string,
): DealPlan | undefined {
  const outcome = dealOutcome(rng, contact);
  if (!outcome) return undefined;
  const shaped = shapePath(rng, nominalDealPath(rng, outcome), pickAnomaly(rng), DEAL_SHAPE_RULES);
  const gaps = stageGaps(rng, shaped.stages.length, 48, 25 * 24);
  const span = gaps.reduce((sum, gap) => sum + gap, 0);
  const createdAt = floorToHour(Math.min(dealAnchor(contact) + rng.int(-36, 36) * HOUR, ctx.now - HOUR - span));
  const stages = placePath(rng, shaped, gaps, createdAt);

  const visited = (value: string) => stages.visits.some((v) => v.value === value);
  const current = stages.visits.at(-1)?.value ?? '';
  const closedAt = stages.visits.find(
    (v) => v.value === current && (current === 'closedwon' || current === DEAL_LOST_STAGE),
  )?.at;

  const deal: DealPlan = {
    id,
    createdAt,
    dealname: `${contact.firstname} ${contact.lastname} – ${productLabel(rng)}`,
    ownerId: rng.chance(0.8) ? contact.ownerId : rng.pick(ctx.ownerIds),
    stages,
    contactIds: [],
  };
  deal.amount = rng.weighted<string | undefined>([
    [amountValue(rng), 90],
    [undefined, 6],
    [rng.pick(['0', '-2500', 'TBD', '']), 4],
  ]);
  deal.closedate =
    closedAt !== undefined
      ? rng.chance(0.97)
        ? new Date(closedAt).toISOString()
        : undefined
      : rng.weighted<string | undefined>([
          [new Date(createdAt + rng.int(20, 120) * DAY).toISOString(), 70],
          [undefined, 25],
          [rng.pick(['TBD', 'next quarter']), 5],
        ]);
  deal.productLine = picklistValue(rng, PICKLISTS.productLine, 0.06, 0.05);
  if (
    stages.visits.some(
      (v) => v.value !== DEAL_LOST_STAGE && (DEAL_STAGES.find((s) => s.id === v.value)?.group ?? 0) >= 1,
    )
  ) {
    deal.slaScope = requiredText(rng, rng.pick(SLA_SCOPES), 0.1);
  }
  if (visited('closedwon')) {
    deal.winReason = picklistValue(rng, PICKLISTS.winReason, 0.07, 0.05);
    deal.contractId = rng.weighted<string | undefined>([
      [`CTR-${id}`, 90],
      [undefined, 7],
      [missingValue(rng), 3],
    ]);
  }
  if (visited(DEAL_LOST_STAGE)) deal.lossReason = picklistValue(rng, PICKLISTS.lossReason, 0.07, 0.05);

  // A few deals were never linked to their buyer; some have a second contact (a colleague at the buyer).
  if (!rng.chance(0.025)) {
    deal.contactIds.push(contact.id);
    const colleague = rng.chance(0.3) ? rng.pick(blockContacts) : undefined;
    if (colleague && colleague.id !== contact.id) deal.contactIds.push(colleague.id);
  }
  return deal;
}

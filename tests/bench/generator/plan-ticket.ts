import { missingValue, picklistValue } from './field-values.ts';
import type { ContactPlan, DealPlan, TicketPlan } from './plan.ts';
import { DAY, HOUR } from './plan.ts';
import type { PlanContext } from './plan-context.ts';
import type { Rng } from './random.ts';
import { fitGaps, pickAnomaly, placePath, shapePath, stageGaps, truncatePath } from './stage-path.ts';
import { DELIVERY_STAGES, PICKLISTS, SUPPORT_STAGES, SUPPORT_SUBJECTS } from './vocabulary.ts';

const DELIVERY_TARGET_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 25],
  [1, 30],
  [2, 25],
  [3, 20],
];

/**
 * The delivery ticket of a won deal, opened a few days after the win; a recent one moved through its
 * stages faster, to end before `now`. Its contract id usually matches the deal's; sometimes it was typed from
 * another contract, left out, or padded; a few tickets were never linked to the deal.
 */
export function planDeliveryTicket(rng: Rng, ctx: PlanContext, deal: DealPlan, id: string): TicketPlan | undefined {
  const wonAt = deal.stages.visits.find((v) => v.value === 'closedwon')?.at;
  if (wonAt === undefined || deal.stages.visits.at(-1)?.value !== 'closedwon' || !rng.chance(0.85)) return undefined;
  const createdAt = wonAt + rng.int(1, 96) * HOUR;
  if (createdAt > ctx.now - HOUR) return undefined;

  const target = rng.weighted(DELIVERY_TARGET_WEIGHTS);
  const nominal = DELIVERY_STAGES.slice(0, target + 1).map((value, group) => ({ value, group }));
  const shaped = shapePath(rng, nominal, pickAnomaly(rng));
  const gaps = fitGaps(stageGaps(rng, shaped.stages.length, 24, 30 * 24), ctx.now - HOUR - createdAt);
  // A ticket opened in the last hours has no room even for hour-long gaps: it has not moved on yet.
  const stages = truncatePath(placePath(rng, shaped, gaps, createdAt), ctx.now - HOUR);

  const contract = `CTR-${deal.id}`;
  const ticket: TicketPlan = {
    id,
    pipeline: 'delivery',
    createdAt,
    subject: `Delivery – ${deal.dealname}`,
    ownerId: deal.ownerId,
    stages,
    contractId: rng.weighted<string | undefined>([
      [contract, 85],
      [`CTR-${rng.int(10_000, 99_999)}`, 6],
      [missingValue(rng), 6],
      [`  ${contract} `, 3],
    ]),
  };
  if (rng.chance(0.3)) ticket.changeRequestReason = picklistValue(rng, PICKLISTS.changeRequestReason, 0, 0.15);
  if (!rng.chance(0.07)) ticket.dealId = deal.id;
  return ticket;
}

/** A support ticket (pipeline `0`): outside the policy's scope, present because real portals have them. */
export function planSupportTicket(
  rng: Rng,
  ctx: PlanContext,
  contact: ContactPlan,
  id: string,
): TicketPlan | undefined {
  const createdAt = contact.createdAt + rng.int(24, 200 * 24) * HOUR;
  if (createdAt > ctx.now - DAY) return undefined;
  const nominal = SUPPORT_STAGES.slice(0, rng.int(1, SUPPORT_STAGES.length)).map((value, group) => ({ value, group }));
  const gaps = stageGaps(rng, nominal.length, 2, 96);
  return {
    id,
    pipeline: '0',
    createdAt,
    subject: `Support – ${contact.firstname} ${contact.lastname} – ${rng.pick(SUPPORT_SUBJECTS)}`,
    ownerId: contact.ownerId,
    stages: truncatePath(placePath(rng, { stages: nominal }, gaps, createdAt), ctx.now - HOUR),
  };
}

import { slaOutcomes, type StagedRecord } from '../hygiene/index.ts';
import { amountInCents } from '../attribution/index.ts';
import { parseInstant } from '../hygiene/values.ts';

/**
 * One in-scope record as the reporting model holds it (migration 0014): its dimension row, its stage
 * entries and, for a delivery ticket, its outcome. Pure: the hygiene engine's staged view in, rows out,
 * so reports read the same stages and scope the checks do.
 */
export type ReportRecord = {
  stage: string;
  ownerId: string | null;
  leadChannel: string | null;
  icpTier: string | null;
  productLine: string | null;
  amountCents: number | null;
  createdAt: number;
  closedAt: number | null;
};

export type StageEntry = { stage: string; stageIndex: number; enteredAt: number };

export type DeliveryOutcome = {
  dealId: string | null;
  leadChannel: string | null;
  /** Days from entering onboarding to entering the next delivery stage; null while still onboarding. */
  onboardingDays: number | null;
  changeRequestReason: string | null;
  slaBreached: boolean;
};

const DAY_MS = 86_400_000;
const WON = 'closed_won';
const LOST = 'closed_lost';
const ONBOARDING = 'onboarding';

export function reportRecordOf(view: StagedRecord, leadChannel: string | undefined): ReportRecord {
  const p = view.record.properties;
  const closed = view.stage === WON || view.stage === LOST;
  return {
    stage: view.stage,
    ownerId: view.record.ownerId ?? null,
    leadChannel: leadChannel ?? null,
    icpTier: known(p.clr_icp_tier),
    productLine: known(p.clr_product_line),
    amountCents: view.object === 'deal' ? (amountInCents(p.amount) ?? null) : null,
    createdAt: parseInstant(p.createdate) ?? parseInstant(view.record.createdAt) ?? 0,
    closedAt:
      view.object === 'deal' && closed
        ? (parseInstant(p.closedate) ?? view.entered.get(view.stage) ?? null)
        : view.object === 'ticket'
          ? (view.entered.get(lastStage(view)) ?? null)
          : null,
  };
}

/** Every stage the record entered, with its position on its path of the lifecycle's order. */
export function stageEntriesOf(view: StagedRecord): StageEntry[] {
  const entries: StageEntry[] = [];
  for (const [stage, enteredAt] of view.entered) {
    const path = view.lifecycle.order.find((p) => p.includes(stage));
    if (path) entries.push({ stage, stageIndex: path.indexOf(stage), enteredAt });
  }
  return entries.sort((a, b) => a.stageIndex - b.stageIndex || (a.stage < b.stage ? -1 : 1));
}

/** A delivery ticket's outcome; `leadChannel` is its section-8 lead channel (from attribution). */
export function deliveryOutcomeOf(view: StagedRecord, leadChannel: string | undefined): DeliveryOutcome {
  const deals = (view.record.associations ?? [])
    .filter((a) => a.objectType === 'deal')
    .map((a) => a.id)
    .sort((a, b) => Number(a) - Number(b));
  const start = view.entered.get(ONBOARDING);
  const path = view.lifecycle.order[0] ?? [];
  const after = path.slice(path.indexOf(ONBOARDING) + 1).flatMap((stage) => view.entered.get(stage) ?? []);
  const next = after.length === 0 ? undefined : Math.min(...after);
  return {
    dealId: deals[0] ?? null,
    leadChannel: leadChannel ?? null,
    onboardingDays:
      start === undefined || next === undefined || next < start
        ? null
        : Math.round(((next - start) / DAY_MS) * 100) / 100,
    changeRequestReason: known(view.record.properties.clr_change_request_reason),
    slaBreached: slaOutcomes(view).some((o) => o.breached),
  };
}

function lastStage(view: StagedRecord): string {
  const path = view.lifecycle.order[0] ?? [];
  return path[path.length - 1] ?? view.stage;
}

function known(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

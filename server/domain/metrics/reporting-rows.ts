import { slaOutcomes, type RecordInput, type StagedRecord } from '../hygiene/index.ts';
import { amountInCents } from '../attribution/index.ts';
import { parseInstant } from '../hygiene/values.ts';
import type { CrmObject, Definitions } from '../policy/index.ts';

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
  /**
   * A deal's customer: its associated company with the lowest id, else the lowest-id company of its
   * associated contacts; null without either (the deal is then its own customer). Other objects: null.
   */
  companyId: string | null;
};

/**
 * What the maturity KPIs need of every live record, in scope or not (companies too): whether the
 * hygiene engine has it in scope, whether it carries a value the duplicate checks compare, its owner.
 */
export type RecordScope = { inScope: boolean; duplicateKeyed: boolean; ownerId: string | null };

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

/** `contactCompanies`: the companies of a deal's associated contacts (read by the caller). */
export function reportRecordOf(
  view: StagedRecord,
  leadChannel: string | undefined,
  contactCompanies: readonly string[] = [],
): ReportRecord {
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
    companyId: view.object === 'deal' ? (lowestAssociated(view.record, 'company') ?? lowestId(contactCompanies)) : null,
  };
}

/** `view`: the record's staged view (undefined when the engine has it out of scope). */
export function recordScopeOf(
  record: RecordInput,
  object: CrmObject,
  definitions: Definitions,
  view: StagedRecord | undefined,
): RecordScope {
  const rule = definitions.duplicates.find((d) => d.object === object);
  return {
    inScope: view !== undefined,
    duplicateKeyed: rule !== undefined && (record.properties[rule.property] ?? '').trim() !== '',
    ownerId: record.ownerId ?? null,
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
  const start = view.entered.get(ONBOARDING);
  const path = view.lifecycle.order[0] ?? [];
  const after = path.slice(path.indexOf(ONBOARDING) + 1).flatMap((stage) => view.entered.get(stage) ?? []);
  const next = after.length === 0 ? undefined : Math.min(...after);
  return {
    dealId: lowestAssociated(view.record, 'deal'),
    leadChannel: leadChannel ?? null,
    onboardingDays:
      start === undefined || next === undefined || next < start
        ? null
        : Math.round(((next - start) / DAY_MS) * 100) / 100,
    changeRequestReason: known(view.record.properties.clr_change_request_reason),
    slaBreached: slaOutcomes(view).some((o) => o.breached),
  };
}

function lowestAssociated(record: RecordInput, objectType: CrmObject): string | null {
  return lowestId((record.associations ?? []).filter((a) => a.objectType === objectType).map((a) => a.id));
}

function lowestId(ids: readonly string[]): string | null {
  return [...ids].sort((a, b) => Number(a) - Number(b))[0] ?? null;
}

function lastStage(view: StagedRecord): string {
  const path = view.lifecycle.order[0] ?? [];
  return path[path.length - 1] ?? view.stage;
}

function known(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

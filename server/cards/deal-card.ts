import { thresholdMs, valuesOfStage, type Definitions } from '../domain/policy/index.ts';
import { evaluateRecord } from '../domain/hygiene/index.ts';
import { DAY_MS } from '../domain/hygiene/values.ts';
import type { CardContext } from './card-deps.ts';
import { cardFinding, complianceOf, hasFinding, loadCardRecord, stageRef, type CardRecord } from './card-record.ts';
import type { FieldToFill, StageTime } from './contracts/common.ts';
import type { DealCard, DealCardRequest } from './contracts/deal.ts';
import { creditsToRead, dealAttribution } from './deal-attribution.ts';
import { fieldsToFill } from './fields-to-fill.ts';

/** The deal card: compliance, what to fill now and for the next stage, join keys, time in stage, attribution. */
export async function dealCard(deps: CardContext, request: DealCardRequest): Promise<DealCard> {
  const { portalId, objectId } = request;
  const credits = creditsToRead(deps.definitions.peek(portalId), request);
  const card = await loadCardRecord(deps, request, 'deal', credits);
  const read =
    credits === undefined || card.extras.credits === null ? undefined : { ...credits, rows: card.extras.credits };
  const attribution = await dealAttribution(deps.reads, portalId, objectId, card.definitions, request, read);
  return dealCardOf(card, attribution);
}

export function dealCardOf(card: CardRecord, attribution: DealCard['attribution']): DealCard {
  const { evaluation, definitions, record, view } = card;
  const next = view === undefined ? undefined : nextStage(card);
  const current = fieldsToFill(evaluation.findings, definitions, 'deal', record.properties);
  return {
    objectType: 'deal',
    objectId: record.id,
    definitionsVersion: card.definitionsVersion,
    inScope: evaluation.inScope,
    stage: stageRef(definitions, 'deal', evaluation.stage),
    nextStage: stageRef(definitions, 'deal', next),
    compliance: complianceOf(card),
    missingFields: { current, next: next === undefined ? [] : missingAtStage(card, next, current) },
    missingJoinKeys: evaluation.findings
      .filter((f) => (f.kind === 'missing_join_key' || f.kind === 'join_key_mismatch') && f.field !== undefined)
      .map((f) => ({
        code: f.code,
        key: f.field!,
        problem: f.kind === 'missing_join_key' ? ('missing' as const) : ('mismatch' as const),
        proposedFix: f.proposedFix,
      })),
    stageTime: stageTime(card),
    findings: evaluation.findings.map(cardFinding),
    attribution,
  };
}

/** The stage a deal moves to next: of the stages directly after its stage in the order, the first listed. */
function nextStage(card: CardRecord): string | undefined {
  const view = card.view!;
  return view.order.later(view.stage).find((id) => view.order.directlyEarlier(id).includes(view.stage));
}

/**
 * What would be missing at `stage`: the engine's own verdict on the deal as if it had moved there (its
 * stage property set to that stage's value in its pipeline), less what is missing already.
 */
function missingAtStage(card: CardRecord, stage: string, current: readonly FieldToFill[]): FieldToFill[] {
  const view = card.view!;
  const value = valuesOfStage(view.mapping, stage)[0];
  if (value === undefined) return [];
  const moved = { ...card.record, properties: { ...card.record.properties, [view.lifecycle.stageProperty]: value } };
  const condition = view.lifecycle.stages.find((s) => s.id === stage)?.condition;
  if (condition !== undefined && !moved.properties[condition.property]) moved.properties[condition.property] = 'set';
  const there = evaluateRecord(moved, card.definitions, card.now, { duplicates: card.duplicates.matches });
  const already = new Set(current.map((f) => f.property));
  return fieldsToFill(there.findings, card.definitions, 'deal', card.record.properties).filter(
    (f) => !already.has(f.property),
  );
}

function stageTime(card: CardRecord): StageTime {
  const { view, evaluation, definitions } = card;
  if (view === undefined) return { enteredAt: null, days: null, sla: null };
  const entered = view.entered.get(view.stage);
  const days = evaluation.properties.clr_days_in_stage;
  const sla = stageSla(definitions, view.stage);
  return {
    enteredAt: entered === undefined ? null : new Date(entered).toISOString(),
    days: days === undefined ? null : Number(days),
    sla:
      sla === undefined
        ? null
        : {
            id: sla.id,
            label: sla.label,
            thresholdDays: thresholdMs(sla.threshold) / DAY_MS,
            breached: hasFinding(card, `sla_breached:${sla.id}`) !== undefined,
          },
  };
}

/** The deal SLA that times the current stage (section 6's deal_stall in version 1). */
function stageSla(definitions: Definitions, stage: string) {
  return definitions.slas.find(
    (sla) =>
      sla.object === 'deal' &&
      sla.start.kind === 'current_stage_entered' &&
      (sla.atStages === undefined || sla.atStages.includes(stage)),
  );
}

import type { TouchRecord } from '../db/repositories/card-reads.ts';
import { duplicateOf } from '../domain/hygiene/index.ts';
import { momentOf } from '../domain/hygiene/rules/slas.ts';
import { compareIds, isSet, parseInstant } from '../domain/hygiene/values.ts';
import type { Definitions, Stage } from '../domain/policy/index.ts';
import type { CardContext } from './card-deps.ts';
import { cardFinding, complianceOf, hasFinding, loadCardRecord, stageRef, type CardRecord } from './card-record.ts';
import type { ContactCard, ContactCardRequest } from './contracts/contact.ts';
import { labeller } from './deal-attribution.ts';

/** The contact card: lifecycle timeline, touches, duplicates, SLAs and whether the lead can be accepted. */
export async function contactCard(deps: CardContext, request: ContactCardRequest): Promise<ContactCard> {
  return contactCardOf(await loadCardRecord(deps, request, 'contact'));
}

export function contactCardOf(card: CardRecord): ContactCard {
  const { evaluation, definitions, record, view } = card;
  const touches = card.extras.touches ?? { count: 0, first: null, recent: [] };
  const label = labeller(definitions);
  const touch = (t: TouchRecord) => ({
    id: t.id,
    occurredAt: t.occurredAt, // an ISO string already (`card-reads.ts`)
    channel: t.channel,
    channelLabel: label(t.channel),
    trackable: t.trackable,
    campaignId: t.campaignId,
    source: t.source,
  });
  const codes = new Set(evaluation.findings.map((f) => f.code));
  return {
    objectType: 'contact',
    objectId: record.id,
    definitionsVersion: card.definitionsVersion,
    inScope: evaluation.inScope,
    stage: stageRef(definitions, 'contact', evaluation.stage),
    compliance: complianceOf(card),
    timeline:
      view === undefined
        ? []
        : view.lifecycle.stages.map((stage) => {
            const entered = view.entered.get(stage.id);
            return {
              stage: { id: stage.id, label: stage.label },
              enteredAt: entered === undefined ? null : new Date(entered).toISOString(),
              current: stage.id === view.stage,
              skipped: codes.has(`stage_gap:skipped:${stage.id}`),
              movedBackFrom: [...codes].some((code) => code.startsWith(`stage_gap:backward:${stage.id}>`)),
              outOfOrder: codes.has(`stage_gap:out_of_order:${stage.id}`),
            };
          }),
    touches: {
      count: touches.count,
      first: touches.first === null ? null : touch(touches.first),
      last: touches.recent[0] === undefined ? null : touch(touches.recent[0]),
      recent: touches.recent.map(touch),
    },
    duplicates: duplicatesOf(card),
    slas: slasOf(card),
    acceptLead: acceptLeadState(card),
    findings: evaluation.findings.map(cardFinding),
  };
}

function duplicatesOf(card: CardRecord): ContactCard['duplicates'] {
  const survivorId = duplicateOf(card.duplicates.matches) ?? null;
  const group = card.duplicates.groups.find((g) => g.memberIds.length > 1);
  if (group === undefined) return { survivorId, others: [], property: null };
  const survivor = group.memberIds.reduce((lowest, id) => (compareIds(id, lowest) < 0 ? id : lowest));
  return {
    survivorId,
    others: group.memberIds
      .filter((id) => id !== card.record.id)
      .sort(compareIds)
      .map((id) => ({ id, survivor: id === survivor })),
    property: group.rule.property,
  };
}

/** The contact SLAs that apply now (section 6: its stage, a start moment it has) and whether each is breached. */
function slasOf(card: CardRecord): ContactCard['slas'] {
  const { view } = card;
  if (view === undefined) return [];
  return card.definitions.slas
    .filter(
      (sla) =>
        sla.object === 'contact' &&
        (sla.atStages === undefined || sla.atStages.includes(view.stage)) &&
        momentOf(view, sla.start) !== undefined,
    )
    .map((sla) => {
      const breach = hasFinding(card, `sla_breached:${sla.id}`);
      return { id: sla.id, label: sla.label, breached: breach !== undefined, proposedFix: breach?.proposedFix ?? null };
    });
}

/**
 * Accepting a lead is what moves it into the stage whose condition is a property being set (`sal`:
 * `clr_sal_date`): it applies to a contact at the stage that shares that stage's HubSpot value (`mql`).
 */
export function acceptanceStage(
  definitions: Definitions,
): { stage: Stage; from: string; property: string } | undefined {
  const lifecycle = definitions.stages.contact;
  for (const [index, stage] of lifecycle.stages.entries()) {
    if (stage.condition?.is !== 'set') continue;
    const before = lifecycle.stages.slice(0, index).reverse();
    const from = before.find((s) =>
      lifecycle.pipelines.some((p) =>
        (p.values[s.id] ?? []).some((value) => (p.values[stage.id] ?? []).includes(value)),
      ),
    );
    if (from !== undefined) return { stage, from: from.id, property: stage.condition.property };
  }
  return undefined;
}

export function acceptLeadState(card: CardRecord): ContactCard['acceptLead'] {
  const acceptance = acceptanceStage(card.definitions);
  if (acceptance === undefined)
    return { available: false, property: '', reason: 'The definitions have no acceptance stage.', acceptedAt: null };
  const value = card.record.properties[acceptance.property];
  const accepted = isSet(value) ? value : null;
  const acceptedAt = accepted === null ? null : formatAccepted(accepted);
  const stages = card.definitions.stages.contact.stages;
  const labelOf = (id: string) => stages.find((s) => s.id === id)?.label ?? id;
  const base = { property: acceptance.property, acceptedAt };
  if (accepted !== null)
    return {
      ...base,
      available: false,
      reason: `This lead was accepted${acceptedAt ? ` on ${acceptedAt.slice(0, 10)}` : ''}.`,
    };
  if (card.view === undefined)
    return {
      ...base,
      available: false,
      reason: 'This contact is outside the closed-loop stages, so it cannot be accepted.',
    };
  if (card.view.stage !== acceptance.from)
    return {
      ...base,
      available: false,
      reason: `Only a lead at ${labelOf(acceptance.from)} can be accepted; this contact is at ${labelOf(card.view.stage)}.`,
    };
  return { ...base, available: true, reason: null };
}

function formatAccepted(value: string): string | null {
  const at = parseInstant(value);
  return at === undefined ? null : new Date(at).toISOString();
}

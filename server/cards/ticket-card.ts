import { checklistProgress } from '../domain/hygiene/rules/checklist.ts';
import { picklistVerdict } from '../domain/hygiene/rules/picklists.ts';
import { appliesAt } from '../domain/hygiene/staged-record.ts';
import { compareIds, isSet, percent } from '../domain/hygiene/values.ts';
import {
  currentStage,
  joinKeyFindingCode,
  parseFieldRule,
  type Checklist,
  type Definitions,
  type JoinKeyCheck,
} from '../domain/policy/index.ts';
import type { CardContext } from './card-deps.ts';
import { cardFinding, complianceOf, hasFinding, loadCardRecord, stageRef, type CardRecord } from './card-record.ts';
import type { TicketCard, TicketCardRequest } from './contracts/ticket.ts';
import { labeller } from './deal-attribution.ts';
import { fieldRowsOf } from './fields-to-fill.ts';

/** The property a ticket's change-request reason is kept in (the governed Select). */
export const CHANGE_REQUEST_REASON = 'clr_change_request_reason';
/** HubSpot's deal name, and the deal properties the ticket card shows (the proposal's SLA, the lead channel). */
const DEAL_NAME = 'dealname';
const SLA_SCOPE = 'clr_sla_scope';
const LEAD_CHANNEL = 'clr_lead_channel';

/** The ticket card: the handoff checklist, the originating deal, the contract match, the change-request reason. */
export async function ticketCard(deps: CardContext, request: TicketCardRequest): Promise<TicketCard> {
  const card = await loadCardRecord(deps, request, 'ticket');
  const lowest = dealIdsOf(card)[0];
  const leadChannel = (card.extras.dealValues ?? []).find(
    (v) => String(v.id) === lowest && v.properties[LEAD_CHANNEL] !== undefined,
  )?.properties[LEAD_CHANNEL];
  return ticketCardOf(card, leadChannel ?? null);
}

function dealIdsOf(card: CardRecord): string[] {
  return (card.record.associations ?? [])
    .filter((a) => a.objectType === 'deal')
    .map((a) => a.id)
    .sort(compareIds);
}

export function ticketCardOf(card: CardRecord, leadChannel: string | null): TicketCard {
  const { evaluation, definitions, record } = card;
  const dealIds = dealIdsOf(card);
  const origin = (record.associations ?? []).find((a) => a.objectType === 'deal' && a.id === dealIds[0]);
  const reason = changeRequestReason(definitions, record.properties[CHANGE_REQUEST_REASON] ?? null);
  return {
    objectType: 'ticket',
    objectId: record.id,
    definitionsVersion: card.definitionsVersion,
    inScope: evaluation.inScope,
    stage: stageRef(definitions, 'ticket', evaluation.stage),
    compliance: complianceOf(card),
    checklists: definitions.checklists
      .filter((c) => c.object === 'ticket')
      .map((checklist) => checklistState(card, checklist)),
    originDeal:
      origin === undefined
        ? null
        : {
            id: origin.id,
            name: origin.properties?.[DEAL_NAME] ?? null,
            stage: stageRef(definitions, 'deal', currentStage(definitions.stages.deal, origin.properties ?? {})),
            leadChannel:
              leadChannel === null ? null : { value: leadChannel, label: labeller(definitions)(leadChannel) },
            contractId:
              contractCheck(definitions) === undefined
                ? null
                : (origin.properties?.[contractCheck(definitions)!.property] ?? null),
            slaScope: origin.properties?.[SLA_SCOPE] ?? null,
          },
    dealIds,
    contract: contractState(card, dealIds.length),
    changeRequestReason: reason,
    findings: evaluation.findings.map(cardFinding),
  };
}

function checklistState(card: CardRecord, checklist: Checklist) {
  const mine = card.checklist.filter((i) => i.checklist === checklist.id);
  const progress = checklistProgress(checklist, card.record.checklistItems);
  const row = card.definitions.requiredFields.find(
    (r) => 'checklist' in r && r.checklist === checklist.id && r.object === 'ticket',
  );
  return {
    id: checklist.id,
    label: checklist.label,
    items: checklist.items.map((item) => {
      const done = mine.find((i) => i.item === item.id);
      return {
        id: item.id,
        label: item.label,
        checked: done !== undefined,
        checkedByUserId: done === undefined ? null : String(done.doneByUserId),
        checkedByEmail: done?.doneByEmail ?? null,
        checkedAt: done === undefined ? null : done.doneAt, // an ISO string already (`card-reads.ts`)
      };
    }),
    done: progress.done.length,
    total: checklist.items.length,
    percent: percent(progress.done.length, checklist.items.length),
    complete: progress.missing.length === 0,
    requiredFrom: row === undefined ? null : stageRef(card.definitions, 'ticket', row.stage),
  };
}

/** The check that a ticket's contract id matches one of its deals' (section 4's "delivery matches its contract"). */
function contractCheck(definitions: Definitions): Extract<JoinKeyCheck, { kind: 'matches_association' }> | undefined {
  return definitions.joinKeys.find(
    (c): c is Extract<JoinKeyCheck, { kind: 'matches_association' }> =>
      c.kind === 'matches_association' && c.object === 'ticket' && c.to === 'deal',
  );
}

function contractState(card: CardRecord, deals: number): TicketCard['contract'] {
  const check = contractCheck(card.definitions);
  if (check === undefined) return null;
  const value = card.record.properties[check.property];
  const base = { property: check.property, ticketContractId: isSet(value) ? value.trim() : null };
  if (!isSet(value)) return { ...base, status: 'missing' };
  if (deals === 0) return { ...base, status: 'no_deal' };
  const applies = card.view !== undefined && (check.atStage === undefined || appliesAt(card.view, check.atStage));
  if (!applies) return { ...base, status: 'not_checked' };
  return { ...base, status: hasFinding(card, joinKeyFindingCode(check)) ? 'mismatch' : 'match' };
}

function changeRequestReason(definitions: Definitions, value: string | null): TicketCard['changeRequestReason'] {
  const row = fieldRowsOf(definitions, 'ticket', CHANGE_REQUEST_REASON)[0];
  const rule = row === undefined ? undefined : parseFieldRule(row.rule);
  const input = definitions.properties.inputs.find((p) => p.name === CHANGE_REQUEST_REASON);
  const name =
    rule?.kind === 'picklist' ? rule.picklist : input?.options?.source === 'picklist' ? input.options.picklist : null;
  const picklist = definitions.picklists.find((p) => p.name === name);
  return {
    value,
    valid: picklistVerdict(picklist, value) !== 'invalid',
    picklist: picklist?.name ?? null,
    options: (picklist?.options ?? []).map((o) => ({ value: o.value, label: o.label })),
  };
}

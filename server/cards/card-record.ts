import type { CardSnapshot, CardSnapshotKey } from '../db/repositories/card-reads.ts';
import {
  complianceScore,
  complianceStatus,
  evaluateRecord,
  stagedRecord,
  type Finding,
  type RecordEvaluation,
  type RecordInput,
  type StagedRecord,
} from '../domain/hygiene/index.ts';
import {
  CRM_OBJECT_OF,
  HUBSPOT_OBJECT_TYPE,
  type CrmObject,
  type Definitions,
  type HubSpotObjectType,
} from '../domain/policy/index.ts';
import type { CardContext } from './card-deps.ts';
import { CardRefusal } from './card-refusal.ts';
import type { CardFinding, CardRequest, Compliance, StageRef } from './contracts/common.ts';
import { recordDuplicates, type RecordDuplicates } from './record-duplicates.ts';

/**
 * One record as a card sees it: checked to belong to the installed portal the request names, read
 * from the mirror with its history, associations and checklist, and evaluated now by the hygiene
 * engine under the portal's current definitions.
 */
export type CardRecord = {
  portalId: number;
  definitionsVersion: number;
  definitions: Definitions;
  record: RecordInput;
  /** The record's checklist items done, with the HubSpot user who checked each. */
  checklist: CardSnapshot['checklist'];
  /** What the snapshot read for one card only (a contact's touches, a ticket's deals' values, a deal's credits). */
  extras: Pick<CardSnapshot, 'touches' | 'dealValues' | 'credits'>;
  duplicates: RecordDuplicates;
  evaluation: RecordEvaluation;
  /** The record's staged view when it is in scope. */
  view: StagedRecord | undefined;
  now: Date;
};

/** `credits`: a deal's credits to read with it (the model and kind its card will likely show). */
export async function loadCardRecord(
  deps: CardContext,
  claims: CardRequest,
  object: CrmObject,
  credits?: CardSnapshotKey['credits'],
): Promise<CardRecord> {
  const snapshot = await deps.reads.snapshot({
    portalId: claims.portalId,
    objectType: HUBSPOT_OBJECT_TYPE[object],
    objectId: claims.objectId,
    credits,
  });
  // Not installed and someone else's record get the same answer: a request learns nothing about
  // portals or records that are not its own.
  if (snapshot === undefined || snapshot.status !== 'installed' || snapshot.definitionsVersion === null)
    throw new CardRefusal('not_found', 'Closed Loop is not installed in this HubSpot account.');
  if (snapshot.record === null || snapshot.record.archived)
    throw new CardRefusal(
      'not_found',
      `Closed Loop has no ${object} ${claims.objectId} in this account yet; new records arrive within a few minutes.`,
    );
  const { version, definitions } = await deps.definitions.get(deps.db, claims.portalId, snapshot.definitionsVersion);
  const record = recordInputOf(object, claims.objectId, snapshot, snapshot.record);
  const duplicates = await recordDuplicates(
    deps.reads,
    claims.portalId,
    definitions,
    record,
    snapshot.emailPeers === null ? undefined : { object: 'contact', property: 'email', ...snapshot.emailPeers },
  );
  return evaluateCardRecord(
    {
      portalId: claims.portalId,
      definitionsVersion: version,
      definitions,
      checklist: snapshot.checklist,
      extras: { touches: snapshot.touches, dealValues: snapshot.dealValues, credits: snapshot.credits },
    },
    record,
    duplicates,
    deps.now(),
  );
}

/** The engine's input for a snapshot, in the shape `hygiene/load-records.ts` gives the portal-wide runs. */
function recordInputOf(
  object: CrmObject,
  id: number,
  snapshot: CardSnapshot,
  row: NonNullable<CardSnapshot['record']>,
): RecordInput {
  const ownerId = row.properties.hubspot_owner_id;
  const history: NonNullable<RecordInput['propertiesWithHistory']> = {};
  // The snapshot's instants are ISO strings already (`card-reads.ts`).
  for (const entry of snapshot.history)
    (history[entry.property] ??= []).push({
      value: entry.value,
      timestamp: entry.occurredAt,
      ...(entry.sourceType ? { sourceType: entry.sourceType } : {}),
    });
  return {
    objectType: object,
    id: String(id),
    properties: row.properties,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...(ownerId ? { ownerId } : {}),
    propertiesWithHistory: history,
    associations: snapshot.associations.flatMap((a) => {
      const objectType = CRM_OBJECT_OF[a.type as HubSpotObjectType];
      return objectType === undefined
        ? []
        : [{ objectType, id: String(a.id), ...(a.properties ? { properties: a.properties } : {}) }];
    }),
    checklistItems: snapshot.checklist.map((done) => ({
      checklist: done.checklist,
      item: done.item,
      doneBy: done.doneByEmail ?? `user ${done.doneByUserId}`,
      doneAt: done.doneAt,
    })),
  };
}

/** Evaluates a record (as read, or as a write would leave it) for a card. */
export function evaluateCardRecord(
  portal: Pick<CardRecord, 'portalId' | 'definitionsVersion' | 'definitions' | 'checklist' | 'extras'>,
  record: RecordInput,
  duplicates: RecordDuplicates,
  now: Date,
): CardRecord {
  const evaluation = evaluateRecord(record, portal.definitions, now, { duplicates: duplicates.matches });
  const view = stagedRecord(record, portal.definitions, now.getTime());
  return { ...portal, record, duplicates, evaluation, view, now };
}

export function complianceOf(card: CardRecord): Compliance | null {
  const { evaluation, definitions } = card;
  if (!evaluation.inScope) return null;
  return {
    status: complianceStatus(evaluation.findings, definitions.findings),
    score: complianceScore(evaluation.score),
    applicable: evaluation.score.applicable,
    passed: evaluation.score.passed,
  };
}

export function cardFinding(finding: Finding): CardFinding {
  return {
    code: finding.code,
    kind: finding.kind,
    severity: finding.severity,
    field: finding.field ?? null,
    proposedFix: finding.proposedFix,
  };
}

export function stageRef(definitions: Definitions, object: CrmObject, id: string | null | undefined): StageRef | null {
  if (id === null || id === undefined || object === 'company') return null;
  const stage = definitions.stages[object].stages.find((s) => s.id === id);
  return { id, label: stage?.label ?? id };
}

export function hasFinding(card: CardRecord, code: string): Finding | undefined {
  return card.evaluation.findings.find((f) => f.code === code);
}

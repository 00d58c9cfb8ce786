import { withTransaction } from '../db/pool.ts';
import { ledgerOfRecord } from '../db/repositories/card-reads.ts';
import { mergeMirrorProperties, recordCardWrite, type CardWriteAction } from '../db/repositories/card-writes.ts';
import { setChecklistItem } from '../db/repositories/checklist-items.ts';
import { recordAccepted } from '../db/repositories/writeback-ledger.ts';
import type { ChecklistItemDone } from '../domain/hygiene/index.ts';
import { HUBSPOT_OBJECT_TYPE } from '../domain/policy/index.ts';
import { toHubSpotError, type HubSpotApiError } from '../hubspot/errors.ts';
import { hashValue } from '../writeback/write-back.ts';
import type { CardDeps } from './card-deps.ts';
import { evaluateCardRecord, type CardRecord } from './card-record.ts';
import { CardRefusal } from './card-refusal.ts';
import type { CardRequest } from './contracts/common.ts';

/** One change from a card, already validated against the definitions by its use case. */
export type CardWrite = {
  /** HubSpot properties the person set ('' clears one). */
  properties: Record<string, string>;
  checklist?: { checklist: string; item: string; checked: boolean };
  audit: { action: CardWriteAction; property: string | null; oldValue: string | null; newValue: string | null };
};

/**
 * Makes a card's change real, in the order that keeps HubSpot, the mirror and the issue log agreeing:
 *
 * 1. the engine evaluates the record as the change leaves it, so the written-back values that change
 *    with it (compliance, missing fields, handoff %) go to HubSpot in the same update as the
 *    person's value, and HubSpot's record shows the new state at once;
 * 2. one update to HubSpot through the portal's client; if HubSpot refuses, nothing else happens;
 * 3. in one transaction: HubSpot's answer into the mirror, the checklist item, the audit row, and the
 *    ledger entries of the computed values written (so write-back does not send them again);
 * 4. the record is re-evaluated and its issue log and computed values stored.
 */
export async function commitCardWrite(
  deps: CardDeps,
  claims: CardRequest,
  card: CardRecord,
  write: CardWrite,
): Promise<void> {
  const object = card.record.objectType;
  const table = HUBSPOT_OBJECT_TYPE[object];
  const now = deps.now();
  const checklistItems =
    write.checklist === undefined ? card.record.checklistItems : toggled(card, write.checklist, claims, now);
  const after = evaluateCardRecord(
    card,
    { ...card.record, properties: { ...card.record.properties, ...write.properties }, checklistItems },
    card.duplicates,
    now,
  );
  const ledger = await ledgerOfRecord(deps.db, claims.portalId, table, claims.objectId);
  const computed = Object.fromEntries(
    Object.entries(after.evaluation.properties).filter(
      ([property, value]) =>
        value !== '' && ledger.get(property) !== hashValue(value) && !(property in write.properties),
    ),
  );
  const properties = { ...write.properties, ...computed };

  let answered: { properties: Record<string, string | null>; updatedAt: Date } | undefined;
  if (Object.keys(properties).length > 0) {
    try {
      answered = await deps
        .clientFor(claims.portalId)
        .call((sdk) => sdk.crm[table].basicApi.update(String(claims.objectId), { properties }), { idempotent: true });
    } catch (error) {
      throw refusalOf(toHubSpotError(error));
    }
  }

  await withTransaction(deps.db, async (tx) => {
    if (answered !== undefined) {
      // HubSpot's stored form of what was written (it normalises dates), not what was sent.
      const stored = Object.fromEntries(Object.keys(properties).map((p) => [p, answered.properties[p] ?? null]));
      await mergeMirrorProperties(tx, claims.portalId, table, claims.objectId, stored, answered.updatedAt);
      await recordAccepted(
        tx,
        claims.portalId,
        Object.entries(computed).map(([property, value]) => ({
          objectType: table,
          objectId: claims.objectId,
          property,
          valueHash: hashValue(value),
        })),
      );
    }
    if (write.checklist !== undefined) {
      const { checklist, item, checked } = write.checklist;
      await setChecklistItem(
        tx,
        claims.portalId,
        { objectType: table, objectId: claims.objectId, checklist, item },
        checked ? { userId: claims.userId, email: claims.userEmail ?? null, at: now } : null,
      );
    }
    await recordCardWrite(tx, claims.portalId, {
      objectType: table,
      objectId: claims.objectId,
      ...write.audit,
      userId: claims.userId,
      userEmail: claims.userEmail ?? null,
      writtenAt: now,
    });
  });
  await deps.reevaluate(deps.db, claims.portalId, [{ objectType: object, objectId: claims.objectId }], { now });
}

function toggled(
  card: CardRecord,
  change: { checklist: string; item: string; checked: boolean },
  claims: CardRequest,
  now: Date,
): ChecklistItemDone[] {
  const others = (card.record.checklistItems ?? []).filter(
    (i) => !(i.checklist === change.checklist && i.item === change.item),
  );
  const mine = (card.record.checklistItems ?? []).find(
    (i) => i.checklist === change.checklist && i.item === change.item,
  );
  if (!change.checked) return others;
  return [
    ...others,
    mine ?? {
      checklist: change.checklist,
      item: change.item,
      doneBy: claims.userEmail ?? `user ${claims.userId}`,
      doneAt: now.toISOString(),
    },
  ];
}

function refusalOf(error: HubSpotApiError): CardRefusal {
  const said =
    typeof (error.body as { message?: unknown } | undefined)?.message === 'string'
      ? (error.body as { message: string }).message
      : undefined;
  if (error.kind === 'validation' || error.kind === 'conflict')
    return new CardRefusal(
      'hubspot_error',
      `HubSpot did not accept the change${said ? `: ${said}` : ''}. Nothing was changed.`,
    );
  if (error.kind === 'not_found')
    return new CardRefusal('not_found', 'HubSpot no longer has this record. Nothing was changed.');
  if (error.kind === 'forbidden' || error.kind === 'unauthorized')
    return new CardRefusal(
      'hubspot_error',
      'Closed Loop is not allowed to change this record in HubSpot (its install may need to be renewed). Nothing was changed.',
    );
  return new CardRefusal(
    'hubspot_error',
    'HubSpot could not be reached to save the change. Nothing was changed; try again.',
  );
}

import { HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import { archiveMirrorRecords } from '../db/repositories/mirror-archive.ts';
import { mergeIntoSurvivors } from '../db/repositories/mirror-merges.ts';
import { archivedAmong } from '../db/repositories/mirror-recycle-bin.ts';
import { deleteContactData } from '../install/delete-contact.ts';
import type { ApplyObjectChanges, ObjectChanges } from '../webhooks/object-changes.ts';
import { associationReadsOf } from './association-changes.ts';
import { readAssociations, replaceAssociations } from './associations.ts';
import type { HubSpotCaller } from './hubspot-caller.ts';
import type { MirrorType } from './mirror-types.ts';
import { definitionsForSync } from './portal-definitions.ts';
import { fetchFresh, storeFresh } from './refresh-records.ts';
import { syncPropertiesOf } from './sync-properties.ts';

const TYPE: Record<ObjectChanges['object'], MirrorType> = HUBSPOT_OBJECT_TYPE;

/**
 * How webhook events change the mirror, inside the drain's transaction:
 * - `contact.privacyDeletion`: the contact's rows and everything derived from them go at once (GDPR);
 * - a deletion archives the record; a merge folds the merged records into the survivor (HubSpot's
 *   `newObjectId`, a new record since its 2024 merge change, else the primary) and re-reads it;
 * - association changes alone re-read the changed record's associations with the partner type the
 *   event names (association-changes.ts): additions and removals, labelled or not, as HubSpot lists
 *   them now;
 * - anything else (creation, property change, restore) re-reads the record as HubSpot has it now,
 *   with its history and associations, one batch per type however many events it had. A re-read never
 *   replaces a newer version, so events applied out of order do no harm; but a record the mirror holds
 *   as deleted that HubSpot answers is live again (restored from the recycle bin), and comes back even
 *   though a restore gives it back with its old last-modified date.
 */
export function applyWebhookChanges(deps: { clientFor: (portalId: number) => HubSpotCaller }): ApplyObjectChanges {
  return async (portalId, changes, { db, log }) => {
    const reread = new Map<MirrorType, Set<string>>();
    for (const change of changes) {
      const type = TYPE[change.object];
      if (change.kinds.includes('privacyDeletion')) {
        const counts = await deleteContactData(db, portalId, change.objectId, 'contact.privacyDeletion');
        log.info({ portalId, rowCounts: counts }, 'contact deleted on a privacy request');
        continue;
      }
      // Deleted unless restored since (events are oldest first): a restore is read again below.
      const newest = change.events.at(-1)!;
      if (newest.subscription.endsWith('.deletion')) {
        await archiveMirrorRecords(db, portalId, type, [{ id: change.objectId, at: newest.occurredAt.toISOString() }]);
        continue;
      }
      if (change.kinds.includes('merge')) {
        for (const event of change.events.filter((e) => e.subscription.endsWith('.merge'))) {
          const { survivorId, mergedIds } = mergeOf(event.payload, change.objectId);
          const at = event.occurredAt.toISOString();
          await mergeIntoSurvivors(
            db,
            portalId,
            type,
            mergedIds.map((id) => ({ id, survivorId, at })),
          );
          (reread.get(type) ?? reread.set(type, new Set()).get(type)!).add(String(survivorId));
        }
        continue;
      }
      if (change.kinds.every((kind) => kind === 'associationChange')) continue; // associationReadsOf
      (reread.get(type) ?? reread.set(type, new Set()).get(type)!).add(String(change.objectId));
    }
    const associationReads = associationReadsOf(changes, reread);
    if (reread.size === 0 && associationReads.length === 0) return;
    const client = deps.clientFor(portalId);
    if (reread.size > 0) {
      const wanted = syncPropertiesOf(await definitionsForSync(db, portalId));
      for (const [type, ids] of reread) {
        // Seen archived before the read: answered live, they were restored (storeFresh).
        const archived = await archivedAmong(db, portalId, type, [...ids].map(Number));
        const fresh = await fetchFresh(client, type, [...ids], wanted[type]);
        await storeFresh(db, portalId, fresh, archived);
      }
    }
    for (const { from, to, ids } of associationReads) {
      const rows = await readAssociations({ client }, from, to, ids);
      await replaceAssociations(db, portalId, from, to, { ids, rows });
    }
  };
}

/**
 * Which record survives a merge event and which ids it absorbed: HubSpot names the survivor
 * `newObjectId` (a new record), or keeps the primary's id in older payloads; the primary and the
 * `mergedObjectIds` are absorbed, except the survivor itself.
 */
function mergeOf(payload: Record<string, unknown>, objectId: number): { survivorId: number; mergedIds: number[] } {
  const primary = Number(payload.primaryObjectId ?? objectId);
  const survivorId = Number(payload.newObjectId ?? primary);
  const merged = Array.isArray(payload.mergedObjectIds) ? payload.mergedObjectIds.map(Number) : [];
  const mergedIds = [...new Set([primary, ...merged])].filter((id) => Number.isSafeInteger(id) && id !== survivorId);
  return { survivorId, mergedIds };
}

import { HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import { archiveMirrorRecords } from '../db/repositories/mirror-archive.ts';
import { deleteContactData } from '../install/delete-contact.ts';
import type { ApplyObjectChanges, ObjectChanges } from '../webhooks/object-changes.ts';
import type { HubSpotCaller } from './hubspot-caller.ts';
import type { MirrorType } from './mirror-types.ts';
import { definitionsForSync } from './portal-definitions.ts';
import { fetchFresh, storeFresh } from './refresh-records.ts';
import { syncPropertiesOf } from './sync-properties.ts';

const TYPE: Record<ObjectChanges['object'], MirrorType> = HUBSPOT_OBJECT_TYPE;

/**
 * How webhook events change the mirror, inside the drain's transaction:
 * - `contact.privacyDeletion`: the contact's rows and everything derived from them go at once (GDPR);
 * - a deletion archives the record; a merge archives the merged ids with the survivor's id and re-reads
 *   the survivor;
 * - anything else (creation, property change, association change, restore) re-reads the record as
 *   HubSpot has it now, with its history and associations, one batch per type however many events
 *   it had. A re-read never replaces a newer version, so events applied out of order do no harm.
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
      if (change.kinds.includes('deletion')) {
        await archiveMirrorRecords(db, portalId, type, [change.objectId]);
        continue;
      }
      if (change.kinds.includes('merge')) {
        for (const event of change.events) {
          const primary = Number(event.payload.primaryObjectId ?? change.objectId);
          const merged = ((event.payload.mergedObjectIds as unknown[] | undefined) ?? [])
            .map(Number)
            .filter((id) => id !== primary);
          await archiveMirrorRecords(db, portalId, type, merged, primary);
          (reread.get(type) ?? reread.set(type, new Set()).get(type)!).add(String(primary));
        }
        continue;
      }
      (reread.get(type) ?? reread.set(type, new Set()).get(type)!).add(String(change.objectId));
    }
    if (reread.size === 0) return;
    const wanted = syncPropertiesOf(await definitionsForSync(db, portalId));
    const client = deps.clientFor(portalId);
    for (const [type, ids] of reread) {
      const fresh = await fetchFresh(client, type, [...ids], wanted[type]);
      await storeFresh(db, portalId, fresh);
    }
  };
}

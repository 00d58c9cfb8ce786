import type { MergedAway } from '../db/repositories/mirror-merges.ts';
import type { HubSpotRecord } from './hubspot-record.ts';

/** HubSpot lists on a merge's surviving record every id merged into it (`;`-separated), earlier merges included. */
export const MERGED_IDS_PROPERTY = 'hs_merged_object_ids';

/**
 * The records merged away into these records, each once (the last survivor naming it wins), as
 * HubSpot's `hs_merged_object_ids` says; dated by the survivor's last modification.
 */
export function mergedAwayIn(records: readonly HubSpotRecord[]): MergedAway[] {
  const byId = new Map<number, MergedAway>();
  for (const record of records) {
    const survivorId = Number(record.id);
    for (const raw of (record.properties[MERGED_IDS_PROPERTY] ?? '').split(';')) {
      const id = Number(raw.trim());
      if (!Number.isSafeInteger(id) || id <= 0 || id === survivorId) continue;
      byId.set(id, { id, survivorId, at: record.updatedAt.toISOString() });
    }
  }
  return [...byId.values()];
}

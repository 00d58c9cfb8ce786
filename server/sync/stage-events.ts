import type { StageEventRow } from '../db/repositories/mirror-stage-events.ts';
import type { HubSpotRecord } from './hubspot-record.ts';

/**
 * A record's stage events: one per entry of each stage property's history, with when and through
 * what (HubSpot's sourceType/sourceId/sourceLabel/updatedByUserId) the value was set. Stage integrity
 * (skipped, backward, out-of-order moves) and entered-at fallbacks read these rows.
 */
export function stageEventsOf(record: HubSpotRecord, stageProperties: readonly string[]): StageEventRow[] {
  const events: StageEventRow[] = [];
  for (const property of stageProperties) {
    for (const entry of record.propertiesWithHistory?.[property] ?? []) {
      events.push({
        objectId: Number(record.id),
        property,
        // A cleared stage is an entry too (HubSpot sends an empty value).
        value: entry.value ?? '',
        occurredAt: entry.timestamp.toISOString(),
        sourceType: entry.sourceType ?? null,
        sourceId: entry.sourceId ?? null,
        sourceLabel: entry.sourceLabel ?? null,
        updatedByUserId: entry.updatedByUserId ?? null,
      });
    }
  }
  return events;
}

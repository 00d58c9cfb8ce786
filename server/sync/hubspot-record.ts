import { z } from 'zod';
import type { MirrorRecord } from '../db/repositories/mirror-objects.ts';

/**
 * A CRM record as the SDK hands it over (`SimplePublicObjectWithAssociations`, dates already parsed),
 * checked at the boundary: a record the mirror can't store faithfully stops the page instead of
 * being half-written.
 */
const HistoryEntry = z.object({
  value: z.string().nullish(),
  timestamp: z.date(),
  sourceType: z.string().nullish(),
  sourceId: z.string().nullish(),
  sourceLabel: z.string().nullish(),
  updatedByUserId: z.number().int().nullish(),
});

export const HubSpotRecord = z.object({
  id: z.string().regex(/^\d+$/),
  properties: z.record(z.string(), z.string().nullable()),
  propertiesWithHistory: z.record(z.string(), z.array(HistoryEntry)).nullish(),
  createdAt: z.date(),
  updatedAt: z.date(),
  archived: z.boolean().nullish(),
});
export type HubSpotRecord = z.infer<typeof HubSpotRecord>;

export function toMirrorRecord(record: HubSpotRecord): MirrorRecord {
  return {
    id: Number(record.id),
    properties: record.properties,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    archived: record.archived ?? false,
  };
}

import { z } from 'zod';
import { CrmObject } from '../policy/index.ts';
import { parseInstant } from './values.ts';

/**
 * What the engine reads about one record: the record as the mirror holds it, its stage property's
 * history, the records it is associated with and the checklist items done on it. Callers (the
 * repository, the worker, tests) parse with `RecordInputSchema` at their edge; the engine trusts the
 * type. Every collection is optional, an absent one meaning "none".
 */

/** HubSpot record ids are numeric strings (the API sends strings; Postgres bigint comes back as one). */
export const RecordId = z.string().regex(/^\d+$/, 'must be a numeric string (a HubSpot record id)');

/** An ISO 8601 instant (or epoch ms), as HubSpot writes timestamps. */
export const Instant = z.string().refine((value) => parseInstant(value) !== undefined, 'must be an ISO 8601 instant');

/** HubSpot's strings as HubSpot sent them: nothing trimmed, nothing converted. */
export const PropertyValues = z.record(z.string(), z.string().nullable());
export type PropertyValues = z.output<typeof PropertyValues>;

/**
 * One entry of HubSpot's `propertiesWithHistory` (extra fields such as sourceId are accepted and
 * dropped). HubSpot lists them newest first; the engine sorts by timestamp and never relies on it.
 */
export const HistoryEntry = z.object({
  value: z.string().nullable(),
  timestamp: Instant,
  sourceType: z.string().optional(),
});
export type HistoryEntry = z.output<typeof HistoryEntry>;

/**
 * A record at the other end of an association: a deal's contacts and companies, a ticket's deals, a
 * contact's deals. Its properties are needed only where a check compares them (clr_contract_id).
 */
export const AssociatedRecord = z.object({
  objectType: CrmObject,
  id: RecordId,
  properties: PropertyValues.optional(),
});
export type AssociatedRecord = z.output<typeof AssociatedRecord>;

/** One checklist item done (section 5): the app stores who checked it and when. */
export const ChecklistItemDone = z.object({
  checklist: z.string(),
  item: z.string(),
  doneBy: z.string(),
  doneAt: Instant,
});
export type ChecklistItemDone = z.output<typeof ChecklistItemDone>;

export const RecordInputSchema = z.object({
  objectType: CrmObject,
  id: RecordId,
  properties: PropertyValues,
  createdAt: Instant,
  updatedAt: Instant,
  /** hubspot_owner_id, carried through so the issue log can name who should act. */
  ownerId: z.string().optional(),
  /** Keyed by property name, as the API returns it; only the lifecycle's stage property is read. */
  propertiesWithHistory: z.record(z.string(), z.array(HistoryEntry)).optional(),
  associations: z.array(AssociatedRecord).optional(),
  checklistItems: z.array(ChecklistItemDone).optional(),
});
export type RecordInput = z.output<typeof RecordInputSchema>;

/** `now`: an argument, never the machine's clock. */
export const Now = z.union([Instant, z.date()]);

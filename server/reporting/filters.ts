import { z } from 'zod';

const Day = z.iso.date();

/**
 * What every report can be narrowed by. Dates are inclusive days (UTC); `from`/`to` select by the
 * report's own date (cohort month, close date, creation date), which each report names.
 */
export const ReportFilters = z.strictObject({
  from: Day.optional(),
  to: Day.optional(),
  channel: z.string().min(1).max(100).optional(),
  icpTier: z.string().min(1).max(100).optional(),
  productLine: z.string().min(1).max(100).optional(),
  ownerId: z.string().min(1).max(100).optional(),
});
export type ReportFilters = z.infer<typeof ReportFilters>;

/** The filters as positional SQL parameters $2…$7, in the order every report query uses them. */
export function filterParams(f: ReportFilters): (string | null)[] {
  return [f.from ?? null, f.to ?? null, f.channel ?? null, f.icpTier ?? null, f.productLine ?? null, f.ownerId ?? null];
}

/** HubSpot's object type ids, for links into the CRM. */
const OBJECT_TYPE_ID: Record<string, string> = { contacts: '0-1', companies: '0-2', deals: '0-3', tickets: '0-5' };

export function hubspotRecordUrl(portalId: number, objectType: string, id: number | string): string {
  return `https://app.hubspot.com/contacts/${portalId}/record/${OBJECT_TYPE_ID[objectType]}/${id}`;
}

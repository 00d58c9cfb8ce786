import { z } from 'zod';

/**
 * What the ingest API accepts. A batch is all or nothing: every row is checked, every bad row is
 * reported with its index and reason, and nothing is stored unless all rows are good.
 */
export const MAX_ROWS = 5_000;

const Text = z.string().trim().min(1).max(200);
const OptionalText = z
  .string()
  .trim()
  .max(200)
  .nullish()
  .transform((v) => (v ? v : null));
const Instant = z.iso.datetime({ offset: true });

export const IngestTouch = z
  .strictObject({
    /** The client's own id for the touch: sending it again changes nothing. */
    id: Text,
    occurredAt: Instant,
    channel: Text,
    contactId: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).optional(),
    /** Matched to contacts after trimming and lower-casing (the policy's rule), so stored that way. */
    contactEmail: z.string().trim().toLowerCase().pipe(z.email().max(320)).optional(),
    campaignId: OptionalText,
    offerId: OptionalText,
    contentId: OptionalText,
  })
  .refine((t) => t.contactId !== undefined || t.contactEmail !== undefined, {
    message: 'a touch names its contact by contactId or contactEmail',
  });
export type IngestTouch = z.output<typeof IngestTouch>;

export const IngestSpend = z.strictObject({
  id: Text.optional(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM'),
  channel: Text,
  campaignId: OptionalText,
  cents: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type IngestSpend = z.output<typeof IngestSpend>;

/** When given, `portalId` must be the key's portal: a guard against a key used for the wrong account. */
const ClaimedPortal = z.number().int().positive().optional();
const rows = <T extends z.ZodType>(row: T) =>
  z.array(row).min(1, 'the batch is empty').max(MAX_ROWS, `at most ${MAX_ROWS} rows a batch`);

export const TouchBatch = z.strictObject({ portalId: ClaimedPortal, touches: rows(IngestTouch) });
export const SpendBatch = z.strictObject({ portalId: ClaimedPortal, spend: rows(IngestSpend) });

export type RowProblem = { index: number | null; path: string; message: string };

/** zod issues as row problems: `touches.3.occurredAt` → index 3, path occurredAt. */
export function rowProblems(error: z.ZodError): RowProblem[] {
  return error.issues.map((issue) => {
    const [, index, ...rest] = issue.path;
    return typeof index === 'number'
      ? { index, path: rest.join('.'), message: issue.message }
      : { index: null, path: issue.path.join('.'), message: issue.message };
  });
}

/** Rows whose channel isn't one of the portal's governed channels, and rows that repeat an id. */
export function semanticProblems(
  rows: { id?: string | undefined; channel: string }[],
  channels: ReadonlySet<string>,
): RowProblem[] {
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    if (!channels.has(row.channel)) {
      problems.push({
        index,
        path: 'channel',
        message: `"${row.channel}" is not a channel; use one of ${[...channels].join(', ')}`,
      });
    }
    if (row.id !== undefined) {
      const first = seen.get(row.id);
      if (first !== undefined) problems.push({ index, path: 'id', message: `repeats the id of row ${first}` });
      else seen.set(row.id, index);
    }
  });
  return problems;
}

import { z } from 'zod';
import type { HubSpotCaller } from './hubspot-caller.ts';
import { HubSpotRecord } from './hubspot-record.ts';
import type { MirrorType } from './mirror-types.ts';

/** The property each object's search pages on (HubSpot's default last-modified properties). */
export const LAST_MODIFIED: Record<MirrorType, string> = {
  contacts: 'lastmodifieddate',
  companies: 'hs_lastmodifieddate',
  deals: 'hs_lastmodifieddate',
  tickets: 'hs_lastmodifieddate',
};

/** Search answers up to 200 a page and refuses an `after` at or past 10,000 results. */
export const SEARCH_PAGE_SIZE = 200;
export const SEARCH_RESULT_CEILING = 10_000;
/** Batch read with history takes up to 50 ids a call. */
export const HISTORY_BATCH = 50;

const SearchPage = z.object({
  results: z.array(HubSpotRecord),
  paging: z.object({ next: z.object({ after: z.string() }).nullish() }).nullish(),
});
export type SearchPage = z.infer<typeof SearchPage>;

/**
 * Which records a search page asks for: modified at or after `sinceMs`, oldest first (ties by id); or,
 * when more than 10,000 share one instant, those modified exactly `atMs` with an id above `idAfter`,
 * by id, so even a bulk import's single timestamp can be paged past the ceiling.
 */
export type SearchWindow = { sinceMs: number } | { atMs: number; idAfter: string };

/** One page of changed records. Search returns no history: callers that need it read the ids again. */
export async function searchModified(
  client: HubSpotCaller,
  type: MirrorType,
  window: SearchWindow,
  after: string | null,
  properties: readonly string[],
): Promise<SearchPage> {
  const lastModified = LAST_MODIFIED[type];
  const filters =
    'sinceMs' in window
      ? [{ propertyName: lastModified, operator: 'GTE', value: String(window.sinceMs) }]
      : [
          { propertyName: lastModified, operator: 'EQ', value: String(window.atMs) },
          { propertyName: 'hs_object_id', operator: 'GT', value: window.idAfter },
        ];
  const request = {
    filterGroups: [{ filters }],
    sorts: ['sinceMs' in window ? lastModified : 'hs_object_id'],
    properties: [...properties],
    limit: SEARCH_PAGE_SIZE,
    ...(after ? { after } : {}),
  };
  // The SDK types `operator` as a per-object enum of these same strings; the request is the same JSON.
  const raw = await client.call((sdk) => sdk.crm[type].searchApi.doSearch(request as never), { idempotent: true });
  return SearchPage.parse(raw);
}

const BatchRead = z.object({ results: z.array(HubSpotRecord) });

/** Reads records again with the history of `history` (50 a call); ids deleted meanwhile are left out. */
export async function readWithHistory(
  client: HubSpotCaller,
  type: MirrorType,
  ids: readonly string[],
  properties: readonly string[],
  history: readonly string[],
): Promise<HubSpotRecord[]> {
  const records: HubSpotRecord[] = [];
  for (let i = 0; i < ids.length; i += HISTORY_BATCH) {
    const inputs = ids.slice(i, i + HISTORY_BATCH).map((id) => ({ id }));
    const raw = await client.call(
      (sdk) =>
        sdk.crm[type].batchApi.read(
          { inputs, properties: [...properties], propertiesWithHistory: [...history] },
          false,
        ),
      { idempotent: true },
    );
    records.push(...BatchRead.parse(raw).results);
  }
  return records;
}

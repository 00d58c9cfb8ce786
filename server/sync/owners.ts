import { z } from 'zod';
import { withTransaction } from '../db/pool.ts';
import { upsertOwners, type OwnerRow } from '../db/repositories/mirror-owners.ts';
import { cursorFor, saveCursor } from './checkpoint.ts';
import type { HubSpotCaller } from './hubspot-caller.ts';
import { throwIfStopped, type SyncRunContext } from './sync-run-context.ts';

/** HubSpot's owners endpoint answers up to 500 a page. */
export const OWNER_PAGE_SIZE = 500;

/**
 * HubSpot lists owners whose user was deactivated only when asked for `archived=true` (and then only
 * them), yet records keep naming them. Both listings are read, active first, so every owner a record
 * names resolves, the deactivated ones flagged `archived`.
 */
const LISTINGS = [false, true] as const;

// The full sync's `full:owners` cursor covers both listings: HubSpot's `after` in the active listing,
// then "archived:" followed by HubSpot's `after` (empty: its first page) in the deactivated one.
const ARCHIVED_AFTER = 'archived:';

const OwnersPage = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      email: z.string().nullish(),
      firstName: z.string().nullish(),
      lastName: z.string().nullish(),
      archived: z.boolean().nullish(),
    }),
  ),
  paging: z.object({ next: z.object({ after: z.string() }).nullish() }).nullish(),
});

/** One page of the portal's active or deactivated owners (findings are routed to an owner's email). */
async function readOwnersPage(
  client: HubSpotCaller,
  archived: boolean,
  after: string | null,
): Promise<{ owners: OwnerRow[]; nextAfter: string | null }> {
  const page = OwnersPage.parse(
    await client.call(
      (sdk) => sdk.crm.owners.ownersApi.getPage(undefined, after ?? undefined, OWNER_PAGE_SIZE, archived),
      { idempotent: true },
    ),
  );
  return {
    owners: page.results.map((o) => ({
      id: o.id,
      email: o.email ?? null,
      firstName: o.firstName ?? null,
      lastName: o.lastName ?? null,
      archived: o.archived ?? archived,
    })),
    nextAfter: page.paging?.next?.after ?? null,
  };
}

/**
 * The full sync's owners, active then deactivated, page by page, each with its checkpoint
 * (`full:owners`, one stream for both listings).
 */
export async function syncOwners(run: SyncRunContext): Promise<void> {
  const stream = 'full:owners';
  let cursor = await cursorFor(run.db, run.portalId, stream, run.runId);
  while (!cursor.done) {
    throwIfStopped(run);
    const archived = cursor.after?.startsWith(ARCHIVED_AFTER) ?? false;
    const after = archived ? cursor.after!.slice(ARCHIVED_AFTER.length) || null : cursor.after;
    const { owners, nextAfter } = await readOwnersPage(run.client, archived, after);
    const next =
      nextAfter !== null
        ? { runId: run.runId, after: archived ? ARCHIVED_AFTER + nextAfter : nextAfter, done: false }
        : { runId: run.runId, after: ARCHIVED_AFTER, done: archived };
    await withTransaction(run.db, async (tx) => {
      await upsertOwners(tx, run.portalId, owners);
      await saveCursor(tx, run.portalId, stream, next);
    });
    cursor = next;
  }
}

/**
 * Reads the owners again, active and deactivated (the incremental sync's refresh): a few pages at
 * most, so no checkpoint. An owner deactivated since the last read turns `archived`; one reactivated
 * turns back.
 */
export async function refreshOwners(run: SyncRunContext): Promise<void> {
  for (const archived of LISTINGS) {
    let after: string | null = null;
    do {
      throwIfStopped(run);
      const page = await readOwnersPage(run.client, archived, after);
      await upsertOwners(run.db, run.portalId, page.owners);
      after = page.nextAfter;
    } while (after !== null);
  }
}

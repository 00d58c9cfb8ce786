import { z } from 'zod';
import { withTransaction } from '../db/pool.ts';
import { upsertOwners, type OwnerRow } from '../db/repositories/mirror-owners.ts';
import { cursorFor, saveCursor } from './checkpoint.ts';
import type { HubSpotCaller } from './hubspot-caller.ts';
import { throwIfStopped, type SyncRunContext } from './sync-run-context.ts';

/** HubSpot's owners endpoint answers up to 500 a page. */
export const OWNER_PAGE_SIZE = 500;

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

/** One page of the portal's owners (findings are routed to an owner's email). */
async function readOwnersPage(
  client: HubSpotCaller,
  after: string | null,
): Promise<{ owners: OwnerRow[]; nextAfter: string | null }> {
  const page = OwnersPage.parse(
    await client.call(
      (sdk) => sdk.crm.owners.ownersApi.getPage(undefined, after ?? undefined, OWNER_PAGE_SIZE, false),
      {
        idempotent: true,
      },
    ),
  );
  return {
    owners: page.results.map((o) => ({
      id: o.id,
      email: o.email ?? null,
      firstName: o.firstName ?? null,
      lastName: o.lastName ?? null,
      archived: o.archived ?? false,
    })),
    nextAfter: page.paging?.next?.after ?? null,
  };
}

/** The full sync's owners, page by page, each with its checkpoint (`full:owners`). */
export async function syncOwners(run: SyncRunContext): Promise<void> {
  const stream = 'full:owners';
  let cursor = await cursorFor(run.db, run.portalId, stream, run.runId);
  while (!cursor.done) {
    throwIfStopped(run);
    const { owners, nextAfter } = await readOwnersPage(run.client, cursor.after);
    const next = { runId: run.runId, after: nextAfter, done: nextAfter === null };
    await withTransaction(run.db, async (tx) => {
      await upsertOwners(tx, run.portalId, owners);
      await saveCursor(tx, run.portalId, stream, next);
    });
    cursor = next;
  }
}

/** Reads the owners again (the incremental sync's refresh): a few pages at most, so no checkpoint. */
export async function refreshOwners(run: SyncRunContext): Promise<void> {
  let after: string | null = null;
  do {
    throwIfStopped(run);
    const page = await readOwnersPage(run.client, after);
    await upsertOwners(run.db, run.portalId, page.owners);
    after = page.nextAfter;
  } while (after !== null);
}

import { z } from 'zod';
import { withTransaction } from '../db/pool.ts';
import { upsertOwners } from '../db/repositories/mirror-owners.ts';
import { cursorFor, saveCursor } from './checkpoint.ts';
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

/** Mirrors the portal's owners (findings are routed to an owner's email), page by page. */
export async function syncOwners(run: SyncRunContext): Promise<void> {
  const stream = 'full:owners';
  let cursor = await cursorFor(run.db, run.portalId, stream, run.runId);
  while (!cursor.done) {
    throwIfStopped(run);
    const after = cursor.after ?? undefined;
    const page = OwnersPage.parse(
      await run.client.call((sdk) => sdk.crm.owners.ownersApi.getPage(undefined, after, OWNER_PAGE_SIZE, false), {
        idempotent: true,
      }),
    );
    const nextAfter = page.paging?.next?.after ?? null;
    const next = { runId: run.runId, after: nextAfter, done: nextAfter === null };
    const owners = page.results.map((o) => ({
      id: o.id,
      email: o.email ?? null,
      firstName: o.firstName ?? null,
      lastName: o.lastName ?? null,
      archived: o.archived ?? false,
    }));
    await withTransaction(run.db, async (tx) => {
      await upsertOwners(tx, run.portalId, owners);
      await saveCursor(tx, run.portalId, stream, next);
    });
    cursor = next;
  }
}

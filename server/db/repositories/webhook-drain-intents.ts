import type { Queryable } from '../pool.ts';

export type DrainIntentState = { status: 'pending' | 'completed' | 'failed'; attempts: number };

/**
 * Share-locks a portal's `webhooks.drain` intent until the calling transaction ends and says whether a
 * run of it has started. Held by the webhook intake while its events are uncommitted: a drain starts by
 * counting its attempt on this row (`startIntentAttempt`, an UPDATE), so it waits for every intake
 * holding the lock to commit and then sees their events; an intent whose run already started is not
 * joined (its run may have read the inbox already). A share lock, not FOR UPDATE: deliveries of one
 * portal must not queue behind each other's commits. See server/webhooks/README.md.
 */
export async function lockDrainIntent(
  db: Queryable,
  portalId: number,
  intentId: string,
): Promise<DrainIntentState | undefined> {
  const { rows } = await db.query<DrainIntentState>(
    `SELECT status, attempts FROM job_intents WHERE id = $1 AND portal_id = $2 FOR SHARE`,
    [intentId, portalId],
  );
  return rows[0];
}

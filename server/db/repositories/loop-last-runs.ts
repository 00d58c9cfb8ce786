import type { Queryable } from '../pool.ts';

/**
 * When two of the loops last ran, for the settings component's summary. The loops keep no run table of
 * their own: each run leaves its own record (sync runs, digests, KPI snapshots), and these are the two
 * records no other repository reads this way.
 */

/**
 * When hygiene last brought the issue log up to date: its change cursor moves at the end of the daily
 * whole-portal pass and after each batch of changes it evaluates, in the same transaction as the
 * findings (migration 0009), so this is the last committed evaluation of either kind.
 */
export async function hygieneEvaluatedAt(db: Queryable, portalId: number): Promise<Date | undefined> {
  const { rows } = await db.query<{ updatedAt: Date }>(
    `SELECT updated_at AS "updatedAt" FROM change_cursors WHERE portal_id = $1 AND consumer = 'hygiene'`,
    [portalId],
  );
  return rows[0]?.updatedAt;
}

export type ReviewReminder = {
  /** `definitions-review:2026-Q1` (server/loops/remind-definitions-review.ts). */
  sourceKey: string;
  createdAt: Date;
  dueOn: string;
  status: 'open' | 'done' | 'dropped';
};

/** The newest quarterly "review the definitions" action the loop created (keyed by its quarter). */
export async function latestReviewReminder(db: Queryable, portalId: number): Promise<ReviewReminder | undefined> {
  const { rows } = await db.query<ReviewReminder>(
    `SELECT source_key AS "sourceKey", created_at AS "createdAt", due_on::text AS "dueOn", status
       FROM decisions
      WHERE portal_id = $1 AND source_key LIKE 'definitions-review:%'
      ORDER BY created_at DESC, id DESC
      LIMIT 1`,
    [portalId],
  );
  return rows[0];
}

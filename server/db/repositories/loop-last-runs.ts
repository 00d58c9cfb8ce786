import type { Queryable } from '../pool.ts';

/**
 * When two of the loops last ran, for the settings component's summary. The loops keep no run table of
 * their own: each run leaves its own record (sync runs, digests, KPI snapshots), and these are the two
 * records no other repository reads this way.
 */

/**
 * When hygiene last evaluated the portal, from its change cursor: `fullPassAt`, the time of the last
 * whole-portal pass (the daily one, or after a definitions change; migration 0020), and
 * `lastEvaluatedAt`, when the cursor last moved (that pass, or the last batch of changed records it
 * evaluated, in the same transaction as their findings).
 */
export type HygieneRuns = { fullPassAt: Date | undefined; lastEvaluatedAt: Date };

export async function hygieneRuns(db: Queryable, portalId: number): Promise<HygieneRuns | undefined> {
  const { rows } = await db.query<{ fullPassAt: Date | null; lastEvaluatedAt: Date }>(
    `SELECT full_pass_at AS "fullPassAt", updated_at AS "lastEvaluatedAt"
       FROM change_cursors WHERE portal_id = $1 AND consumer = 'hygiene'`,
    [portalId],
  );
  const row = rows[0];
  return row && { fullPassAt: row.fullPassAt ?? undefined, lastEvaluatedAt: row.lastEvaluatedAt };
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

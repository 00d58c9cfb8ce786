import type { Queryable } from '../db/pool.ts';

/**
 * The `job_intents` table: every job is recorded here before it reaches Redis and marked here when it
 * finishes, so the queue can be rebuilt from Postgres whenever Redis loses it.
 */
export type IntentStatus = 'pending' | 'completed' | 'failed';

export type JobIntent = {
  readonly id: string;
  readonly portalId: number | null;
  readonly queue: string;
  readonly name: string;
  readonly payload: unknown;
  readonly status: IntentStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
};

type IntentRow = {
  id: string;
  portal_id: number | null;
  queue: string;
  name: string;
  payload: unknown;
  status: IntentStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
};

const COLUMNS = 'id, portal_id, queue, name, payload, status, attempts, last_error, created_at, finished_at';

// Errors can carry whole responses; the row keeps enough to diagnose, not a dump.
const MAX_ERROR_LENGTH = 2000;

function toIntent(row: IntentRow): JobIntent {
  return {
    id: row.id,
    portalId: row.portal_id,
    queue: row.queue,
    name: row.name,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

export type NewIntent = { id: string; portalId: number | null; queue: string; name: string; payload: unknown };

/**
 * Inserts a pending intent unless one with its id exists; returns the row as it now stands and
 * whether this call created it.
 */
export async function insertIntent(db: Queryable, intent: NewIntent): Promise<{ intent: JobIntent; created: boolean }> {
  const inserted = await db.query<IntentRow>(
    `INSERT INTO job_intents (id, portal_id, queue, name, payload)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [intent.id, intent.portalId, intent.queue, intent.name, JSON.stringify(intent.payload)],
  );
  const row = inserted.rows[0];
  if (row) return { intent: toIntent(row), created: true };
  const existing = await findIntent(db, intent.id);
  // Only a concurrent delete (the portal uninstalled) gets here.
  if (!existing) throw new Error(`job intent ${intent.id} vanished while being enqueued`);
  return { intent: existing, created: false };
}

export async function findIntent(db: Queryable, id: string): Promise<JobIntent | undefined> {
  const { rows } = await db.query<IntentRow>(`SELECT ${COLUMNS} FROM job_intents WHERE id = $1`, [id]);
  return rows[0] && toIntent(rows[0]);
}

/**
 * Where a page of pending intents ended. `createdAt` is Postgres's own text form: a JS Date would drop
 * the microseconds and make the next page start inside this one.
 */
export type PendingCursor = { readonly createdAt: string; readonly id: string };

/** One page of pending intents in creation order, after `after` (keyset pagination, stable under inserts). */
export async function listPendingIntents(
  db: Queryable,
  page: { after?: PendingCursor; limit: number },
): Promise<{ intents: JobIntent[]; next: PendingCursor | undefined }> {
  const { rows } = await db.query<IntentRow & { cursor_at: string }>(
    `SELECT ${COLUMNS}, created_at::text AS cursor_at FROM job_intents
      WHERE status = 'pending'
        AND ($1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::text))
      ORDER BY created_at, id
      LIMIT $3`,
    [page.after?.createdAt ?? null, page.after?.id ?? null, page.limit],
  );
  const last = rows[rows.length - 1];
  return { intents: rows.map(toIntent), next: last && { createdAt: last.cursor_at, id: last.id } };
}

/**
 * Counts the start of an attempt and returns the intent's status: `pending` means run it; anything
 * else means it already finished (a duplicate delivery) and must not run again.
 */
export async function startIntentAttempt(db: Queryable, id: string): Promise<IntentStatus | undefined> {
  const { rows } = await db.query<{ status: IntentStatus }>(
    `WITH started AS (
       UPDATE job_intents SET attempts = attempts + 1 WHERE id = $1 AND status = 'pending' RETURNING status
     )
     SELECT status FROM started
     UNION ALL
     SELECT status FROM job_intents WHERE id = $1 AND status <> 'pending'`,
    [id],
  );
  return rows[0]?.status;
}

export async function completeIntent(db: Queryable, id: string): Promise<void> {
  await db.query(
    `UPDATE job_intents SET status = 'completed', last_error = NULL, finished_at = now()
      WHERE id = $1 AND status = 'pending'`,
    [id],
  );
}

/** Records a failed attempt; `final` when no retry follows, which makes the intent `failed`. */
export async function recordIntentFailure(db: Queryable, id: string, error: string, final: boolean): Promise<void> {
  await db.query(
    `UPDATE job_intents
        SET last_error = $2,
            status = CASE WHEN $3::boolean THEN 'failed' ELSE status END,
            finished_at = CASE WHEN $3::boolean THEN now() ELSE finished_at END
      WHERE id = $1 AND status = 'pending'`,
    [id, error.slice(0, MAX_ERROR_LENGTH), final],
  );
}

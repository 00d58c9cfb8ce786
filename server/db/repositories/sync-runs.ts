import type { Queryable } from '../pool.ts';

export type SyncKind = 'full' | 'incremental' | 'webhook';
export type SyncRunStatus = 'running' | 'succeeded' | 'failed';

export type SyncRun = {
  id: number;
  kind: SyncKind;
  status: SyncRunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  records: number;
  apiCalls: number;
  rateLimited: number;
  errors: number;
  errorMessage: string | null;
};

const COLUMNS = `id, kind, status, started_at AS "startedAt", finished_at AS "finishedAt", records,
  api_calls AS "apiCalls", rate_limited AS "rateLimited", errors, error_message AS "errorMessage"`;

export async function insertSyncRun(db: Queryable, portalId: number, kind: SyncKind): Promise<SyncRun> {
  const { rows } = await db.query<SyncRun>(
    `INSERT INTO sync_runs (portal_id, kind) VALUES ($1, $2) RETURNING ${COLUMNS}`,
    [portalId, kind],
  );
  return rows[0]!;
}

export async function latestSyncRun(db: Queryable, portalId: number, kind: SyncKind): Promise<SyncRun | undefined> {
  const { rows } = await db.query<SyncRun>(
    `SELECT ${COLUMNS} FROM sync_runs WHERE portal_id = $1 AND kind = $2 ORDER BY id DESC LIMIT 1`,
    [portalId, kind],
  );
  return rows[0];
}

/** A retried run picks up where it failed: running again, its counters kept. */
export async function reopenSyncRun(db: Queryable, portalId: number, runId: number): Promise<void> {
  await db.query(
    `UPDATE sync_runs SET status = 'running', finished_at = NULL, error_message = NULL
      WHERE portal_id = $1 AND id = $2`,
    [portalId, runId],
  );
}

/** Adds a committed page's records to the run (in the page's transaction, so it never double counts). */
export async function addSyncRunRecords(
  db: Queryable,
  portalId: number,
  runId: number,
  records: number,
): Promise<void> {
  await db.query(`UPDATE sync_runs SET records = records + $3 WHERE portal_id = $1 AND id = $2`, [
    portalId,
    runId,
    records,
  ]);
}

export type CallDelta = { apiCalls: number; rateLimited: number; errors: number };

/** Ends one attempt of a run: adds its calls and sets the status (failed keeps the message). */
export async function finishSyncRunAttempt(
  db: Queryable,
  portalId: number,
  runId: number,
  outcome: { status: SyncRunStatus; calls: CallDelta; errorMessage: string | null },
): Promise<void> {
  await db.query(
    `UPDATE sync_runs
        SET status = $3, finished_at = CASE WHEN $3 = 'running' THEN NULL ELSE now() END,
            api_calls = api_calls + $4, rate_limited = rate_limited + $5, errors = errors + $6,
            error_message = $7
      WHERE portal_id = $1 AND id = $2`,
    [
      portalId,
      runId,
      outcome.status,
      outcome.calls.apiCalls,
      outcome.calls.rateLimited,
      outcome.calls.errors,
      outcome.errorMessage,
    ],
  );
}

/** A portal's runs, newest first: its sync history for the operations endpoints. */
export async function listSyncRuns(db: Queryable, portalId: number, limit: number): Promise<SyncRun[]> {
  const { rows } = await db.query<SyncRun>(
    `SELECT ${COLUMNS} FROM sync_runs WHERE portal_id = $1 ORDER BY id DESC LIMIT $2`,
    [portalId, limit],
  );
  return rows;
}

/** Per kind, the portal's latest run that succeeded (the baseline of "how current is the mirror"). */
export async function latestSucceededSyncRuns(db: Queryable, portalId: number): Promise<SyncRun[]> {
  const { rows } = await db.query<SyncRun>(
    `SELECT DISTINCT ON (kind) ${COLUMNS} FROM sync_runs
      WHERE portal_id = $1 AND status = 'succeeded'
      ORDER BY kind, id DESC`,
    [portalId],
  );
  return rows;
}

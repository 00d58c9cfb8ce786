import type { Queryable } from '../pool.ts';

/**
 * The weekly digest (migration 0013): what it reads of the issue log, the digest rows, and its HubSpot
 * tasks with their delivery state. Findings carry the singular object type (`contact`); the mirror's
 * tables the plural, so queries that join them take the mapping as two parallel arrays.
 */

export type ObjectTables = Readonly<Record<string, string>>;

export type OpenFindingGroupRow = {
  ownerId: string | null;
  ownerEmail: string | null;
  code: string;
  severity: 'error' | 'warning' | 'info';
  ageDays: number;
  findings: number;
};

/**
 * Open findings counted by the record's current owner (the mirror's `hubspot_owner_id`), code, severity
 * and whole days since first seen at `now`.
 */
export async function openFindingGroups(
  db: Queryable,
  portalId: number,
  now: Date,
  tables: ObjectTables,
): Promise<OpenFindingGroupRow[]> {
  const { rows } = await db.query<OpenFindingGroupRow>(
    `SELECT r.properties ->> 'hubspot_owner_id' AS "ownerId", o.email AS "ownerEmail", f.code, f.severity,
            greatest(0, floor(extract(epoch FROM ($2::timestamptz - f.first_seen_at)) / 86400))::int AS "ageDays",
            count(*)::int AS findings
       FROM findings f
       JOIN unnest($3::text[], $4::text[]) AS m(object_type, table_name) ON m.object_type = f.object_type
       LEFT JOIN crm_records r ON r.portal_id = $1 AND r.object_type = m.table_name AND r.id = f.object_id
       LEFT JOIN owners o ON o.portal_id = $1 AND o.id = r.properties ->> 'hubspot_owner_id'
      WHERE f.portal_id = $1 AND f.resolved_at IS NULL
      GROUP BY 1, 2, 3, 4, 5
      ORDER BY 1 NULLS LAST, 3, 4, 5`,
    [portalId, now, Object.keys(tables), Object.values(tables)],
  );
  return rows;
}

/** Findings first seen, and findings resolved, in `[since, until)`. */
export async function findingChanges(
  db: Queryable,
  portalId: number,
  since: Date,
  until: Date,
): Promise<{ opened: number; resolved: number }> {
  const { rows } = await db.query<{ opened: number; resolved: number }>(
    `SELECT count(*) FILTER (WHERE first_seen_at >= $2 AND first_seen_at < $3)::int AS opened,
            count(*) FILTER (WHERE resolved_at >= $2 AND resolved_at < $3)::int AS resolved
       FROM findings
      WHERE portal_id = $1 AND (first_seen_at >= $2 OR resolved_at >= $2)`,
    [portalId, since, until],
  );
  return rows[0] ?? { opened: 0, resolved: 0 };
}

export type OldFindingRecordRow = {
  ownerId: string;
  objectType: string;
  objectId: number;
  codes: string[];
  firstSeenAt: Date;
};

/**
 * Per owner, the `perOwner` records whose open findings were first seen at `cutoff` or before, oldest
 * first, with those findings' codes. Records without an owner are left out.
 */
export async function oldFindingRecords(
  db: Queryable,
  portalId: number,
  cutoff: Date,
  perOwner: number,
  tables: ObjectTables,
): Promise<OldFindingRecordRow[]> {
  const { rows } = await db.query<OldFindingRecordRow>(
    `SELECT "ownerId", "objectType", "objectId", codes, "firstSeenAt"
       FROM (SELECT r.properties ->> 'hubspot_owner_id' AS "ownerId", f.object_type AS "objectType",
                    f.object_id AS "objectId", array_agg(f.code ORDER BY f.code) AS codes,
                    min(f.first_seen_at) AS "firstSeenAt",
                    row_number() OVER (PARTITION BY r.properties ->> 'hubspot_owner_id'
                                       ORDER BY min(f.first_seen_at), f.object_id, f.object_type) AS n
               FROM findings f
               JOIN unnest($4::text[], $5::text[]) AS m(object_type, table_name) ON m.object_type = f.object_type
               JOIN crm_records r ON r.portal_id = $1 AND r.object_type = m.table_name AND r.id = f.object_id
              WHERE f.portal_id = $1 AND f.resolved_at IS NULL AND f.first_seen_at <= $2
                AND r.properties ->> 'hubspot_owner_id' IS NOT NULL
              GROUP BY 1, f.object_type, f.object_id) AS oldest
      WHERE n <= $3
      ORDER BY "ownerId", n`,
    [portalId, cutoff, perOwner, Object.keys(tables), Object.values(tables)],
  );
  return rows;
}

// ---- digests and their tasks ---------------------------------------------------------------------

export type DigestRow = { week: string; generatedAt: Date; definitionsVersion: number; body: unknown };

export type PlannedTask = { ownerId: string; subject: string; findings: number; request: unknown };

/**
 * Stores a week's digest with its planned tasks, unless the week has one already (a retried or repeated
 * run): the first digest of a week is the one that stands. Run it in a transaction. Returns whether
 * this call stored it.
 */
export async function insertDigest(
  db: Queryable,
  portalId: number,
  digest: DigestRow,
  tasks: readonly PlannedTask[],
): Promise<boolean> {
  const inserted = await db.query(
    `INSERT INTO digests (portal_id, week, generated_at, definitions_version, body) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (portal_id, week) DO NOTHING`,
    [portalId, digest.week, digest.generatedAt, digest.definitionsVersion, JSON.stringify(digest.body)],
  );
  if ((inserted.rowCount ?? 0) === 0) return false;
  await db.query(
    `INSERT INTO digest_tasks (portal_id, week, owner_id, subject, findings, request)
     SELECT $1, $2, t.owner_id, t.subject, t.findings, t.request
       FROM jsonb_to_recordset($3::jsonb) AS t(owner_id text, subject text, findings int, request jsonb)`,
    [
      portalId,
      digest.week,
      JSON.stringify(
        tasks.map((t) => ({ owner_id: t.ownerId, subject: t.subject, findings: t.findings, request: t.request })),
      ),
    ],
  );
  return true;
}

const DIGEST_COLUMNS = `week, generated_at AS "generatedAt", definitions_version AS "definitionsVersion", body`;

export async function findDigest(db: Queryable, portalId: number, week: string): Promise<DigestRow | undefined> {
  const { rows } = await db.query<DigestRow>(
    `SELECT ${DIGEST_COLUMNS} FROM digests WHERE portal_id = $1 AND week = $2`,
    [portalId, week],
  );
  return rows[0];
}

/** A portal's digests generated in `[from, to)` (both optional), newest first, at most `limit`. */
export async function listDigests(
  db: Queryable,
  portalId: number,
  options: { from?: Date; to?: Date; limit?: number } = {},
): Promise<DigestRow[]> {
  const { rows } = await db.query<DigestRow>(
    `SELECT ${DIGEST_COLUMNS} FROM digests
      WHERE portal_id = $1 AND ($2::timestamptz IS NULL OR generated_at >= $2)
        AND ($3::timestamptz IS NULL OR generated_at < $3)
      ORDER BY generated_at DESC
      LIMIT $4`,
    [portalId, options.from ?? null, options.to ?? null, options.limit ?? null],
  );
  return rows;
}

export type DigestTaskStatus = 'pending' | 'sending' | 'created' | 'failed';

export type DigestTaskRow = {
  week: string;
  ownerId: string;
  status: DigestTaskStatus;
  subject: string;
  findings: number;
  request: unknown;
  taskId: string | null;
  error: string | null;
  attemptedAt: Date | null;
  createdAt: Date | null;
};

const TASK_COLUMNS = `week, owner_id AS "ownerId", status, subject, findings, request, task_id AS "taskId", error,
  attempted_at AS "attemptedAt", created_at AS "createdAt"`;

export async function listDigestTasks(db: Queryable, portalId: number, week: string): Promise<DigestTaskRow[]> {
  const { rows } = await db.query<DigestTaskRow>(
    `SELECT ${TASK_COLUMNS} FROM digest_tasks WHERE portal_id = $1 AND week = $2 ORDER BY owner_id`,
    [portalId, week],
  );
  return rows;
}

/**
 * Takes the week's tasks a run may send now, marking each `sending` at `now` before any call: those
 * never sent, and those whose earlier send is unanswered and older than `staleBefore` (a send still
 * inside that lease may be in flight in another run). The update is the claim: two runs never take the
 * same task. Returns what was taken, with the status it had.
 */
export async function claimDigestTasks(
  db: Queryable,
  portalId: number,
  week: string,
  now: Date,
  staleBefore: Date,
): Promise<(DigestTaskRow & { previousStatus: 'pending' | 'sending' })[]> {
  const { rows } = await db.query<DigestTaskRow & { previousStatus: 'pending' | 'sending' }>(
    `UPDATE digest_tasks t SET status = 'sending', attempted_at = $3
       FROM (SELECT owner_id, status FROM digest_tasks
              WHERE portal_id = $1 AND week = $2
                AND (status = 'pending' OR (status = 'sending' AND attempted_at < $4))
              FOR UPDATE) AS before
      WHERE t.portal_id = $1 AND t.week = $2 AND t.owner_id = before.owner_id
      RETURNING t.week, t.owner_id AS "ownerId", t.status, t.subject, t.findings, t.request, t.task_id AS "taskId",
                t.error, t.attempted_at AS "attemptedAt", t.created_at AS "createdAt", before.status AS "previousStatus"`,
    [portalId, week, now, staleBefore],
  );
  return rows;
}

/** Tasks of the week another run is sending right now (claimed after `staleBefore`). */
export async function countTasksInFlight(
  db: Queryable,
  portalId: number,
  week: string,
  staleBefore: Date,
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM digest_tasks
      WHERE portal_id = $1 AND week = $2 AND status = 'sending' AND attempted_at >= $3`,
    [portalId, week, staleBefore],
  );
  return rows[0]?.n ?? 0;
}

export async function markDigestTaskCreated(
  db: Queryable,
  portalId: number,
  week: string,
  ownerId: string,
  taskId: string,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE digest_tasks SET status = 'created', task_id = $4, created_at = $5, error = NULL
      WHERE portal_id = $1 AND week = $2 AND owner_id = $3`,
    [portalId, week, ownerId, taskId, now],
  );
}

/** HubSpot refused the task (`failed`), or it surely was not created and may be sent again (`pending`). */
export async function markDigestTaskUnsent(
  db: Queryable,
  portalId: number,
  week: string,
  ownerId: string,
  status: 'failed' | 'pending',
  error: string,
): Promise<void> {
  await db.query(
    `UPDATE digest_tasks SET status = $4, error = $5
      WHERE portal_id = $1 AND week = $2 AND owner_id = $3 AND status = 'sending'`,
    [portalId, week, ownerId, status, error],
  );
}

import type { Queryable } from '../pool.ts';

/** One open finding as the engine reported it, ready for the issue log. */
export type FindingRow = {
  objectType: string;
  objectId: number;
  code: string;
  field: string | null;
  severity: 'error' | 'warning' | 'info';
  proposedFix: string;
  /** hubspot_owner_id of the record; the log stores the owner's email from the mirror's owners. */
  ownerId: string | null;
};

export type EvaluatedRecord = { objectType: string; objectId: number };

/**
 * Writes one evaluation of some records into the issue log, in one statement each:
 * - every finding present now is open or kept open (last_seen moves, first_seen stays; a finding
 *   that had been resolved and comes back is a new occurrence, so its first_seen restarts);
 * - every open finding of those records that is not present any more is resolved, never deleted.
 * Records not in `evaluated` are left alone, so partial (incremental) evaluations are safe.
 * Run it inside a transaction.
 */
export async function recordFindings(
  db: Queryable,
  portalId: number,
  run: { definitionsVersion: number; now: Date; evaluated: EvaluatedRecord[]; findings: FindingRow[] },
): Promise<{ open: number; resolved: number }> {
  const findings = run.findings.map((f) => ({
    object_type: f.objectType,
    object_id: f.objectId,
    code: f.code,
    field: f.field,
    severity: f.severity,
    proposed_fix: f.proposedFix,
    owner_id: f.ownerId,
  }));
  const open = await db.query(
    `INSERT INTO findings (portal_id, object_type, object_id, code, field, severity, owner_email, proposed_fix,
                           definitions_version, first_seen_at, last_seen_at, resolved_at)
     SELECT $1, f.object_type, f.object_id, f.code, f.field, f.severity,
            (SELECT o.email FROM owners o WHERE o.portal_id = $1 AND o.id = f.owner_id),
            f.proposed_fix, $2, $3, $3, NULL
       FROM jsonb_to_recordset($4::jsonb) AS f(object_type text, object_id bigint, code text, field text,
                                               severity text, proposed_fix text, owner_id text)
     ON CONFLICT (portal_id, object_type, object_id, code) DO UPDATE
        SET field = EXCLUDED.field,
            severity = EXCLUDED.severity,
            owner_email = EXCLUDED.owner_email,
            proposed_fix = EXCLUDED.proposed_fix,
            definitions_version = EXCLUDED.definitions_version,
            first_seen_at = CASE WHEN findings.resolved_at IS NULL THEN findings.first_seen_at ELSE EXCLUDED.first_seen_at END,
            last_seen_at = EXCLUDED.last_seen_at,
            resolved_at = NULL`,
    [portalId, run.definitionsVersion, run.now, JSON.stringify(findings)],
  );
  const resolved = await db.query(
    `UPDATE findings f SET resolved_at = $2
       FROM jsonb_to_recordset($3::jsonb) AS e(object_type text, object_id bigint)
      WHERE f.portal_id = $1 AND f.resolved_at IS NULL
        AND f.object_type = e.object_type AND f.object_id = e.object_id
        AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($4::jsonb) AS c(object_type text, object_id bigint, code text)
                         WHERE c.object_type = f.object_type AND c.object_id = f.object_id AND c.code = f.code)`,
    [
      portalId,
      run.now,
      JSON.stringify(run.evaluated.map((e) => ({ object_type: e.objectType, object_id: e.objectId }))),
      JSON.stringify(findings.map((f) => ({ object_type: f.object_type, object_id: f.object_id, code: f.code }))),
    ],
  );
  return { open: open.rowCount ?? 0, resolved: resolved.rowCount ?? 0 };
}

export type IssueLogEntry = {
  objectType: string;
  objectId: number;
  code: string;
  field: string | null;
  severity: string;
  ownerEmail: string | null;
  proposedFix: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
};

/** The issue log of a portal, open findings first, in a stable order. */
export async function listFindings(
  db: Queryable,
  portalId: number,
  options: { open?: boolean } = {},
): Promise<IssueLogEntry[]> {
  const { rows } = await db.query<IssueLogEntry>(
    `SELECT object_type AS "objectType", object_id AS "objectId", code, field, severity, owner_email AS "ownerEmail",
            proposed_fix AS "proposedFix", first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt",
            resolved_at AS "resolvedAt"
       FROM findings
      WHERE portal_id = $1 AND ($2::boolean IS NULL OR (resolved_at IS NULL) = $2)
      ORDER BY resolved_at IS NOT NULL, object_type, object_id, code`,
    [portalId, options.open ?? null],
  );
  return rows;
}

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
 * Every record of one type with an id from `fromId` to `toId` was evaluated: what a whole-portal pass
 * says of a batch, which is every live record of the type in that id range. A record of the range with
 * no finding now has none; one the pass did not evaluate in it is not live, so it has none either.
 */
export type EvaluatedRange = { objectType: string; fromId: number; toId: number };

/**
 * Writes one evaluation of some records into the issue log, in one statement each:
 * - every open finding of those records that is not present any more is resolved, never deleted;
 * - every finding present now is open or kept open (last_seen moves, first_seen stays; a finding
 *   that had been resolved and comes back is a new occurrence, so its first_seen restarts).
 * Records not in `evaluated` (listed, or a range) are left alone, so partial (incremental) evaluations
 * are safe. Run it inside a transaction.
 */
export async function recordFindings(
  db: Queryable,
  portalId: number,
  run: {
    definitionsVersion: number;
    now: Date;
    evaluated: EvaluatedRecord[] | EvaluatedRange;
    findings: FindingRow[];
  },
): Promise<{ open: number; resolved: number }> {
  // Resolving first touches only findings stored before this evaluation: those it is about to write
  // are not there yet (the outcome is the same in either order).
  const resolved = Array.isArray(run.evaluated)
    ? await resolveGoneOfRecords(db, portalId, run.now, run.evaluated, run.findings)
    : await resolveGoneInRange(db, portalId, run.now, run.evaluated, run.findings);
  // One array per column rather than one JSON document of objects: the column names are not repeated
  // for every finding, and Postgres parses array literals, not JSON. The literals are written here
  // (see arrayLiteral) and sent as ordinary parameters.
  const f = run.findings;
  const open = await db.query({
    name: 'findings-open',
    text: `INSERT INTO findings (portal_id, object_type, object_id, code, field, severity, owner_email, proposed_fix,
                           definitions_version, first_seen_at, last_seen_at, resolved_at)
     SELECT $1, f.object_type, f.object_id, f.code, f.field, f.severity, o.email, f.proposed_fix, $2, $3, $3, NULL
       FROM unnest($4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
              AS f(object_type, object_id, code, field, severity, proposed_fix, owner_id)
       LEFT JOIN owners o ON o.portal_id = $1 AND o.id = f.owner_id
     ON CONFLICT (portal_id, object_type, object_id, code) DO UPDATE
        SET field = EXCLUDED.field,
            severity = EXCLUDED.severity,
            owner_email = EXCLUDED.owner_email,
            proposed_fix = EXCLUDED.proposed_fix,
            definitions_version = EXCLUDED.definitions_version,
            first_seen_at = CASE WHEN findings.resolved_at IS NULL THEN findings.first_seen_at ELSE EXCLUDED.first_seen_at END,
            last_seen_at = EXCLUDED.last_seen_at,
            resolved_at = NULL`,
    values: [
      portalId,
      run.definitionsVersion,
      run.now,
      arrayLiteral(f.map((x) => x.objectType)),
      arrayLiteral(f.map((x) => x.objectId)),
      arrayLiteral(f.map((x) => x.code)),
      arrayLiteral(f.map((x) => x.field)),
      arrayLiteral(f.map((x) => x.severity)),
      arrayLiteral(f.map((x) => x.proposedFix)),
      arrayLiteral(f.map((x) => x.ownerId)),
    ],
  });
  return { open: open.rowCount ?? 0, resolved: resolved.rowCount ?? 0 };
}

// Both resolve by row address what they find through the primary key behind an `OFFSET 0` fence:
// written any other way (a join, or `resolved_at IS NULL` inside the lookup, which lets it use the
// findings_open index), the planner may scan every open finding of the portal for each batch when the
// log's statistics are stale, as they are while a first evaluation fills it, which makes a large
// portal's evaluation quadratic. A finding another transaction changes meanwhile is left as that
// transaction wrote it.

/** Each listed record's findings are looked up on the primary key, one record at a time. */
async function resolveGoneOfRecords(
  db: Queryable,
  portalId: number,
  now: Date,
  evaluated: readonly EvaluatedRecord[],
  findings: readonly FindingRow[],
) {
  const codesNow = codesByRecord(findings, (f) => `${f.objectType}:${f.objectId}`);
  return db.query({
    name: 'findings-resolve-records',
    text: `UPDATE findings SET resolved_at = $2
      WHERE portal_id = $1
        AND ctid = ANY(ARRAY(
              SELECT open.ctid
                FROM jsonb_to_recordset($3::jsonb) AS e(object_type text, object_id bigint, codes jsonb)
               CROSS JOIN LATERAL (SELECT f.ctid, f.code, f.resolved_at FROM findings f
                                    WHERE f.portal_id = $1 AND f.object_type = e.object_type
                                      AND f.object_id = e.object_id
                                   OFFSET 0) AS open
               WHERE open.resolved_at IS NULL AND NOT (e.codes ? open.code)))`,
    values: [
      portalId,
      now,
      JSON.stringify(
        evaluated.map((e) => ({
          object_type: e.objectType,
          object_id: e.objectId,
          codes: codesNow[`${e.objectType}:${e.objectId}`] ?? [],
        })),
      ),
    ],
  });
}

/**
 * The range's findings are read in one scan of the primary key, and each is looked up in the codes
 * its record has now (a JSON object keyed by record id): a thousand lookups of the key become one.
 */
async function resolveGoneInRange(
  db: Queryable,
  portalId: number,
  now: Date,
  range: EvaluatedRange,
  findings: readonly FindingRow[],
) {
  const inRange = findings.filter((f) => f.objectType === range.objectType);
  return db.query({
    name: 'findings-resolve-range',
    text: `UPDATE findings SET resolved_at = $2
      WHERE portal_id = $1
        AND ctid = ANY(ARRAY(
              SELECT f.ctid
                FROM (SELECT ctid, object_id, code, resolved_at FROM findings
                       WHERE portal_id = $1 AND object_type = $3 AND object_id BETWEEN $4 AND $5
                      OFFSET 0) AS f
               WHERE f.resolved_at IS NULL AND NOT coalesce($6::jsonb -> f.object_id::text ? f.code, false)))`,
    values: [
      portalId,
      now,
      range.objectType,
      range.fromId,
      range.toId,
      JSON.stringify(codesByRecord(inRange, (f) => String(f.objectId))),
    ],
  });
}

/** The codes each record has now, keyed as `keyOf` says. */
function codesByRecord(findings: readonly FindingRow[], keyOf: (f: FindingRow) => string): Record<string, string[]> {
  const codes: Record<string, string[]> = {};
  for (const f of findings) (codes[keyOf(f)] ??= []).push(f.code);
  return codes;
}

/**
 * A Postgres array literal (`{"a","b",NULL}`) of strings or numbers, for a parameter cast to an array
 * type. The driver builds the same literal from a JS array, but escapes every element with two regular
 * expressions; proposed fixes are long and there are hundreds of thousands of them in a large portal's
 * evaluation, and almost none holds a quote or a backslash.
 */
function arrayLiteral(values: readonly (string | number | null)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) literal += ',';
    const value = values[i];
    if (value === null || value === undefined) literal += 'NULL';
    else if (typeof value === 'number') literal += String(value);
    else if (value.includes('"') || value.includes('\\')) literal += `"${value.replace(/[\\"]/g, '\\$&')}"`;
    else literal += `"${value}"`;
  }
  return `${literal}}`;
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

export type IssueLogFilter = {
  open?: boolean;
  /** The owner's email; `null` selects findings of records without an owner. */
  ownerEmail?: string | null;
  /** A whole code (`missing_field:amount`) or its family (`missing_field`). */
  code?: string;
  limit?: number;
};

/** The issue log of a portal, open findings first, in a stable order; narrowed by owner and code. */
export async function listFindings(
  db: Queryable,
  portalId: number,
  options: IssueLogFilter = {},
): Promise<IssueLogEntry[]> {
  const { rows } = await db.query<IssueLogEntry>(
    `SELECT object_type AS "objectType", object_id AS "objectId", code, field, severity, owner_email AS "ownerEmail",
            proposed_fix AS "proposedFix", first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt",
            resolved_at AS "resolvedAt"
       FROM findings
      WHERE portal_id = $1 AND ($2::boolean IS NULL OR (resolved_at IS NULL) = $2)
        AND (NOT $3::boolean OR owner_email IS NOT DISTINCT FROM $4::text) AND ($5::text IS NULL OR code = $5 OR left(code, length($5) + 1) = $5 || ':')
      ORDER BY resolved_at IS NOT NULL, object_type, object_id, code
      LIMIT $6`,
    [
      portalId,
      options.open ?? null,
      options.ownerEmail !== undefined,
      options.ownerEmail ?? null,
      options.code ?? null,
      options.limit ?? null,
    ],
  );
  return rows;
}

/**
 * What the issue log can be filtered by: the owners and the code families (`missing_field`,
 * `duplicate`, …: the part before the first colon) of its open findings, with counts.
 */
export async function openFindingFacets(
  db: Queryable,
  portalId: number,
): Promise<{ owners: { ownerEmail: string | null; n: number }[]; families: { family: string; n: number }[] }> {
  const owners = await db.query<{ ownerEmail: string | null; n: number }>(
    `SELECT owner_email AS "ownerEmail", count(*)::int AS n FROM findings
      WHERE portal_id = $1 AND resolved_at IS NULL GROUP BY owner_email ORDER BY owner_email NULLS LAST`,
    [portalId],
  );
  const families = await db.query<{ family: string; n: number }>(
    `SELECT split_part(code, ':', 1) AS family, count(*)::int AS n FROM findings
      WHERE portal_id = $1 AND resolved_at IS NULL GROUP BY 1 ORDER BY 1`,
    [portalId],
  );
  return { owners: owners.rows, families: families.rows };
}

/**
 * Records of one object type with an open duplicate finding that involves one of `ids`, as the
 * duplicate itself or as the survivor its code names (`duplicate:<survivor id>`): when one of `ids`
 * changes, these records' groups may have changed too.
 */
export async function openDuplicatesInvolving(
  db: Queryable,
  portalId: number,
  objectType: string,
  ids: readonly number[],
): Promise<number[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ object_id: string }>(
    `SELECT DISTINCT object_id FROM findings
      WHERE portal_id = $1 AND object_type = $2 AND resolved_at IS NULL AND code LIKE 'duplicate:%'
        AND (object_id = ANY($3::bigint[]) OR code = ANY($4::text[]))`,
    [portalId, objectType, ids, ids.map((id) => `duplicate:${id}`)],
  );
  return rows.map((r) => Number(r.object_id));
}

/**
 * Resolves the open findings of records that are no longer live (archived, merged away or deleted):
 * a whole-portal evaluation streams only live records, so it would never see them again. `now` is the
 * evaluation's: a finding it saw (last seen at `now`) belongs to a record it found live, so only the
 * others are looked up in the mirror, which on a large portal is most of this statement's work. (A
 * record archived after its batch was evaluated is in the change log, whose consumer resolves it.)
 */
export async function resolveFindingsOfGoneRecords(
  db: Queryable,
  portalId: number,
  now: Date,
  tables: Readonly<Record<string, string>>,
): Promise<number> {
  const result = await db.query(
    `UPDATE findings f SET resolved_at = $2
      WHERE f.portal_id = $1 AND f.resolved_at IS NULL AND f.last_seen_at <> $2
        AND NOT EXISTS (SELECT 1 FROM unnest($3::text[], $4::text[]) AS m(object_type, table_name)
                          JOIN crm_records r ON r.portal_id = $1 AND r.object_type = m.table_name
                         WHERE m.object_type = f.object_type AND r.id = f.object_id AND NOT r.archived)`,
    [portalId, now, Object.keys(tables), Object.values(tables)],
  );
  return result.rowCount ?? 0;
}

/** The codes of the open findings of some records of one type, by record id. */
export async function openFindingCodesOf(
  db: Queryable,
  portalId: number,
  objectType: string,
  ids: readonly number[],
): Promise<Map<number, string[]>> {
  const codes = new Map<number, string[]>();
  if (ids.length === 0) return codes;
  const { rows } = await db.query<{ objectId: number; code: string }>(
    `SELECT object_id AS "objectId", code FROM findings
      WHERE portal_id = $1 AND object_type = $2 AND object_id = ANY($3::bigint[]) AND resolved_at IS NULL
      ORDER BY object_id, code`,
    [portalId, objectType, ids],
  );
  for (const row of rows) codes.set(row.objectId, [...(codes.get(row.objectId) ?? []), row.code]);
  return codes;
}

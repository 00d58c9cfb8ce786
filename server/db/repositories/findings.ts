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

// "Last seen" of the issue log. An open finding was seen by every evaluation of its record since it
// opened (one that had not seen it would have resolved it), so the last time it was seen is the last
// evaluation of its record. A whole-portal pass evaluates every record but does not rewrite the open
// findings it finds unchanged (most of them, every day): it records its own time once, as the hygiene
// cursor's `full_pass_at` (migration 0020), and an open finding's last sighting is the later of its
// `last_seen_at` (set when it was last written: opened, changed, or seen by an evaluation of some
// records) and that time. Resolving a finding freezes that value into `last_seen_at`, so a resolved
// finding's last sighting is its own column, as before.

/**
 * Writes one evaluation of some records into the issue log, in one statement each:
 * - every open finding of those records that is not present any more is resolved, never deleted;
 * - every finding present now is open or kept open (last_seen moves, first_seen stays; a finding
 *   that had been resolved and comes back is a new occurrence, so its first_seen restarts).
 * Records not in `evaluated` are left alone, so partial (incremental) evaluations are safe. Run it
 * inside a transaction. (A whole-portal pass writes its batches with `recordPassBatch`.)
 *
 * The portal row is FOR KEY SHARE locked before anything is written, as the foreign key this table no
 * longer has would lock it (migration 0020): a portal's deletion waits for the transaction, and an
 * evaluation that comes after it finds no portal and writes nothing.
 */
export async function recordFindings(
  db: Queryable,
  portalId: number,
  run: {
    definitionsVersion: number;
    now: Date;
    evaluated: EvaluatedRecord[];
    findings: FindingRow[];
  },
): Promise<{ open: number; resolved: number }> {
  // Resolving first touches only findings stored before this evaluation: those it is about to write
  // are not there yet (the outcome is the same in either order).
  const resolved = await resolveGoneOfRecords(db, portalId, run.now, run.evaluated, run.findings);
  // One array per column rather than one JSON document of objects: the column names are not repeated
  // for every finding, and Postgres parses array literals, not JSON. The literals are written here
  // (see columnLiteral) and sent as ordinary parameters.
  const f = run.findings;
  const open = await db.query({
    name: 'findings-open',
    text: `WITH portal AS (SELECT portal_id FROM portals WHERE portal_id = $1 FOR KEY SHARE)
     INSERT INTO findings (portal_id, object_type, object_id, code, field, severity, owner_email, proposed_fix,
                           definitions_version, first_seen_at, last_seen_at, resolved_at)
     SELECT p.portal_id, f.object_type, f.object_id, f.code, f.field, f.severity, o.email, f.proposed_fix, $2, $3, $3, NULL
       FROM portal p
      CROSS JOIN unnest($4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
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
      columnLiteral(f, (x) => x.objectType),
      columnLiteral(f, (x) => x.objectId),
      columnLiteral(f, (x) => x.code),
      columnLiteral(f, (x) => x.field),
      columnLiteral(f, (x) => x.severity),
      columnLiteral(f, (x) => x.proposedFix),
      columnLiteral(f, (x) => x.ownerId),
    ],
  });
  return { open: open.rowCount ?? 0, resolved: resolved.rowCount ?? 0 };
}

// The resolving statements find their rows through the primary key behind a fence (`OFFSET 0`, or a
// CTE read twice, which Postgres materialises): written any other way (a join, or `resolved_at IS NULL`
// inside the lookup, which lets it use the findings_open index), the planner may scan every open
// finding of the portal for each batch when the log's statistics are stale, as they are while a first
// evaluation fills it, which makes a large portal's evaluation quadratic. They resolve by row address.
// A finding another transaction changes meanwhile is left as that transaction wrote it.

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
    // The portal is locked before any finding is (see recordFindings): a deletion holding it and
    // waiting for these rows would otherwise deadlock with this transaction's insert.
    text: `WITH portal AS (SELECT portal_id FROM portals WHERE portal_id = $1 FOR KEY SHARE)
     UPDATE findings SET resolved_at = $2, last_seen_at = GREATEST(findings.last_seen_at, (SELECT c.full_pass_at FROM change_cursors c
                                                            WHERE c.portal_id = $1 AND c.consumer = 'hygiene'))
      WHERE portal_id = $1 AND EXISTS (SELECT 1 FROM portal)
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

/** The codes each record has now, keyed as `keyOf` says. */
function codesByRecord(findings: readonly FindingRow[], keyOf: (f: FindingRow) => string): Record<string, string[]> {
  const codes: Record<string, string[]> = {};
  for (const f of findings) (codes[keyOf(f)] ??= []).push(f.code);
  return codes;
}

/** One batch of a whole-portal pass: every live record of one type in an id range, evaluated. */
export type PassBatch = {
  definitionsVersion: number;
  now: Date;
  /** The range of the batch; every record of `rows` is in it. */
  range: EvaluatedRange;
  /** The records' type as computed_properties names it (`contacts`). */
  computedType: string;
  rows: PassBatchRows;
};

/** A finding as a pass batch stores it (its record is the one it is added with). */
export type PassFinding = {
  code: string;
  field?: string | null | undefined;
  severity: FindingRow['severity'];
  proposedFix: string;
};

/**
 * A pass batch's rows as `recordPassBatch` sends them, each column already a Postgres array literal,
 * added record by record as the engine evaluates them: the engine's objects (and the records) are
 * garbage at once, rather than surviving, and being copied by the garbage collector, until the batch
 * is written.
 */
export class PassBatchRows {
  records = 0;
  findings = 0;
  minId = Infinity;
  maxId = -Infinity;
  #computedIds = '';
  #computedValues = '';
  #objectIds = '';
  #codes = '';
  #fields = '';
  #severities = '';
  #fixes = '';
  #owners = '';

  /** A record: its section-8 values, its owner's id and its findings. */
  add(objectId: number, properties: Record<string, string>, ownerId: string | null, findings: readonly PassFinding[]) {
    const sep = this.records++ === 0 ? '' : ',';
    this.#computedIds += sep + String(objectId);
    this.#computedValues += sep + JSON.stringify(properties);
    if (objectId < this.minId) this.minId = objectId;
    if (objectId > this.maxId) this.maxId = objectId;
    const owner = element(ownerId);
    for (const f of findings) {
      const fsep = this.findings++ === 0 ? '' : ',';
      this.#objectIds += fsep + String(objectId);
      this.#codes += fsep + element(f.code);
      this.#fields += fsep + element(f.field ?? null);
      this.#severities += fsep + element(f.severity);
      this.#fixes += fsep + element(f.proposedFix);
      this.#owners += fsep + owner;
    }
  }

  /** The parameters of `recordPassBatch`'s statement, $7 to $12 and $14 to $15. */
  columns() {
    return {
      objectIds: `{${this.#objectIds}}`,
      codes: `{${this.#codes}}`,
      fields: `{${this.#fields}}`,
      severities: `{${this.#severities}}`,
      fixes: `{${this.#fixes}}`,
      owners: `{${this.#owners}}`,
      computedIds: `{${this.#computedIds}}`,
      computedValues: `[${this.#computedValues}]`,
    };
  }
}

/**
 * Writes one batch of a whole-portal pass, its computed values and its issue log, in one statement
 * (one round trip, and its own transaction: each round trip costs both processes more CPU than most
 * of the rows do). The issue log as `recordFindings` keeps it, with one difference: an open finding
 * found again unchanged is not rewritten; the pass records its time once at the end instead (see
 * "Last seen" above). The range's stored findings are read once, by the primary key, and matched
 * with what the evaluation found in a full join, which Postgres can only run as a hash or merge join
 * (with the log's statistics stale, as they are while a first evaluation fills it, it would otherwise
 * plan a nested loop of every stored finding against every new one): the ones gone are resolved, the
 * new, changed or returning ones written. Computed values are written as `saveComputedProperties`
 * writes them (a row is rewritten only if its values changed).
 *
 * Its commit does not wait for the WAL flush: a crash can then lose the last batches committed (a
 * fraction of a second of them), which is harmless here. The pass is not finished until the cursor
 * moves at the end, in an ordinary commit that flushes every batch's WAL before it; until then the
 * job is pending, so a restarted worker runs the whole pass again and writes every record anew.
 *
 * The portal row is locked first, as in `recordFindings`; every write of the statement depends on it.
 */
export async function recordPassBatch(
  db: Queryable,
  portalId: number,
  batch: PassBatch,
): Promise<{ open: number; resolved: number }> {
  const { range, rows: batchRows } = batch;
  if (batchRows.records > 0 && (batchRows.minId < range.fromId || batchRows.maxId > range.toId))
    throw new RangeError(`records ${batchRows.minId} to ${batchRows.maxId} are not all in the batch's range`);
  const c = batchRows.columns();
  const values = [
    portalId,
    batch.definitionsVersion,
    batch.now,
    range.objectType,
    range.fromId,
    range.toId,
    c.objectIds,
    c.codes,
    c.fields,
    c.severities,
    c.fixes,
    c.owners,
    batch.computedType,
    c.computedIds,
    c.computedValues,
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows } = await db.query<{ resolved: number }>({ name: 'findings-pass-batch', text: PASS_BATCH, values });
      return { open: batchRows.findings, resolved: rows[0]?.resolved ?? 0 };
    } catch (error) {
      // A row inserted by another transaction since the statement's snapshot (see PASS_BATCH): the
      // statement wrote nothing, and run again it finds that row stored and updates it instead.
      if ((error as { code?: string }).code !== '23505' || attempt >= 3) throw error;
    }
  }
}

// Rows are inserted with a plain INSERT where the statement found none stored, and updated by row
// address where it found one, rather than by `INSERT … ON CONFLICT`: the speculative insertion behind
// ON CONFLICT costs Postgres about twice the CPU of a plain insert per row (300,000 computed values:
// 1.6–1.7 s against 0.7–1.0 s), and an unchanged row is then not even locked. A row another
// transaction inserts after the snapshot makes the insert fail on the primary key; the statement is
// then run again (recordPassBatch). A row another transaction changes meanwhile is left as that
// transaction wrote it, as everywhere in the issue log. The plans must not depend on statistics (a
// first evaluation fills these tables, and a named statement's generic plan is kept): the range's
// stored rows are read by one primary-key range scan and matched with the batch's in a full join,
// which Postgres can only run as a hash or merge join, never a nested loop of every row against every
// row; the rows to update are then reached by address (`ctid = ANY(ARRAY(…))`, a TID scan), never by
// a scan of the portal's rows.
const PASS_BATCH = `WITH portal AS (
       SELECT portal_id FROM portals WHERE portal_id = $1 FOR KEY SHARE
     ), found AS (
       SELECT f.object_id, f.code, f.field, f.severity, o.email AS owner_email, f.proposed_fix
         FROM unnest($7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
                AS f(object_id, code, field, severity, proposed_fix, owner_id)
         LEFT JOIN owners o ON o.portal_id = $1 AND o.id = f.owner_id
     ), stored AS (
       SELECT ctid, object_id, code, field, severity, owner_email, proposed_fix, definitions_version, resolved_at
         FROM findings WHERE portal_id = $1 AND object_type = $4 AND object_id BETWEEN $5 AND $6
     ), matched AS (
       SELECT s.ctid, s.resolved_at, n.object_id, n.code, n.field, n.severity, n.owner_email, n.proposed_fix,
              n.object_id IS NOT NULL AND (s.ctid IS NULL OR s.resolved_at IS NOT NULL
                OR (s.field, s.severity, s.owner_email, s.proposed_fix, s.definitions_version)
                   IS DISTINCT FROM (n.field, n.severity, n.owner_email, n.proposed_fix, $2)) AS to_write
         FROM stored s FULL JOIN found n ON n.object_id = s.object_id AND n.code = s.code
     ), resolved AS (
       UPDATE findings
          SET resolved_at = $3,
              last_seen_at = GREATEST(findings.last_seen_at, (SELECT c.full_pass_at FROM change_cursors c
                                                               WHERE c.portal_id = $1 AND c.consumer = 'hygiene'))
        WHERE portal_id = $1 AND EXISTS (SELECT 1 FROM portal)
          AND ctid = ANY(ARRAY(SELECT m.ctid FROM matched m WHERE m.object_id IS NULL AND m.resolved_at IS NULL))
       RETURNING 1
     ), rewritten AS (
       UPDATE findings f
          SET field = m.field, severity = m.severity, owner_email = m.owner_email, proposed_fix = m.proposed_fix,
              definitions_version = $2,
              first_seen_at = CASE WHEN f.resolved_at IS NULL THEN f.first_seen_at ELSE $3 END,
              last_seen_at = $3,
              resolved_at = NULL
         FROM matched m
        WHERE f.portal_id = $1 AND EXISTS (SELECT 1 FROM portal)
          AND f.ctid = ANY(ARRAY(SELECT w.ctid FROM matched w WHERE w.to_write AND w.ctid IS NOT NULL))
          AND m.ctid = f.ctid AND m.to_write
     ), opened AS (
       INSERT INTO findings (portal_id, object_type, object_id, code, field, severity, owner_email, proposed_fix,
                             definitions_version, first_seen_at, last_seen_at, resolved_at)
       SELECT p.portal_id, $4, m.object_id, m.code, m.field, m.severity, m.owner_email, m.proposed_fix, $2, $3, $3, NULL
         FROM portal p
        CROSS JOIN matched m
        WHERE m.to_write AND m.ctid IS NULL
     ), values_now AS (
       SELECT r.object_id, p.properties
         FROM unnest($14::bigint[]) WITH ORDINALITY AS r(object_id, n)
         JOIN jsonb_array_elements($15::jsonb) WITH ORDINALITY AS p(properties, n) USING (n)
     ), values_stored AS (
       SELECT ctid, object_id, properties FROM computed_properties
        WHERE portal_id = $1 AND object_type = $13 AND object_id BETWEEN $5 AND $6 AND source = 'hygiene'
     ), values_matched AS (
       SELECT s.ctid, n.object_id, n.properties, s.properties IS DISTINCT FROM n.properties AS changed
         FROM values_stored s FULL JOIN values_now n ON n.object_id = s.object_id
     ), values_updated AS (
       UPDATE computed_properties c SET properties = m.properties, computed_at = $3
         FROM values_matched m
        WHERE c.portal_id = $1 AND EXISTS (SELECT 1 FROM portal)
          AND c.ctid = ANY(ARRAY(SELECT w.ctid FROM values_matched w WHERE w.object_id IS NOT NULL AND w.changed))
          AND m.ctid = c.ctid AND m.object_id IS NOT NULL AND m.changed
     ), values_inserted AS (
       INSERT INTO computed_properties (portal_id, object_type, object_id, source, properties, computed_at)
       SELECT p.portal_id, $13, m.object_id, 'hygiene', m.properties, $3
         FROM portal p
        CROSS JOIN values_matched m
        WHERE m.ctid IS NULL
     )
     SELECT (SELECT count(*) FROM resolved)::int AS resolved,
            set_config('synchronous_commit', 'off', true) AS synchronous_commit`;

/**
 * A Postgres array literal (`{"a","b",NULL}`) of one column of `rows`, for a parameter cast to an array
 * type. The driver builds the same literal from a JS array, but escapes every element with two regular
 * expressions; proposed fixes are long and there are hundreds of thousands of them in a large portal's
 * evaluation, and almost none holds a quote or a backslash.
 */
function columnLiteral<T>(rows: readonly T[], column: (row: T) => string | number | null): string {
  let literal = '{';
  for (let i = 0; i < rows.length; i++) literal += (i > 0 ? ',' : '') + element(column(rows[i]!));
  return `${literal}}`;
}

/** One element of an array literal. */
function element(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (value.includes('"') || value.includes('\\')) return `"${value.replace(/[\\"]/g, '\\$&')}"`;
  return `"${value}"`;
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
            proposed_fix AS "proposedFix", first_seen_at AS "firstSeenAt",
            CASE WHEN resolved_at IS NULL
                 THEN GREATEST(last_seen_at, (SELECT c.full_pass_at FROM change_cursors c
                                               WHERE c.portal_id = $1 AND c.consumer = 'hygiene'))
                 ELSE last_seen_at END AS "lastSeenAt",
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
 * Resolves the open findings of records that are no longer live (archived, merged away or deleted)
 * above the last id a whole-portal pass read of each type: its batches cover every id up to there
 * (`recordPassBatch`), and it would never see these again. They are looked up in the mirror rather
 * than resolved outright: a record created while the pass ran is live, and the change consumer may
 * already have evaluated it. (A record archived after its batch was evaluated is in the change log,
 * whose consumer resolves it.)
 */
export async function resolveFindingsOfGoneRecords(
  db: Queryable,
  portalId: number,
  now: Date,
  after: readonly { objectType: string; table: string; afterId: number }[],
): Promise<number> {
  const result = await db.query(
    `UPDATE findings f
        SET resolved_at = $2,
            last_seen_at = GREATEST(f.last_seen_at, (SELECT c.full_pass_at FROM change_cursors c
                                                      WHERE c.portal_id = $1 AND c.consumer = 'hygiene'))
       FROM unnest($3::text[], $4::text[], $5::bigint[]) AS m(object_type, table_name, after_id)
      WHERE f.portal_id = $1 AND f.object_type = m.object_type AND f.object_id > m.after_id AND f.resolved_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM crm_records r
                         WHERE r.portal_id = $1 AND r.object_type = m.table_name AND r.id = f.object_id AND NOT r.archived)`,
    [portalId, now, after.map((a) => a.objectType), after.map((a) => a.table), after.map((a) => a.afterId)],
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

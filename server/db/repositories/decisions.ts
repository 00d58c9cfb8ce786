import type { Decision, DecisionStatus, SubjectKind } from '../../domain/metrics/index.ts';
import type { Queryable } from '../pool.ts';

/** The decision log (migration 0013): actions with a subject, an owner, a due date and an outcome. */

type Row = Omit<Decision, 'subject'> & { subjectKind: SubjectKind; subjectKey: string };

const COLUMNS = `id, topic, subject_kind AS "subjectKind", subject_key AS "subjectKey", owner, due_on::text AS "dueOn",
  status, outcome, created_at AS "createdAt", updated_at AS "updatedAt", closed_at AS "closedAt"`;

const toDecision = ({ subjectKind, subjectKey, ...row }: Row): Decision => ({
  ...row,
  subject: { kind: subjectKind, key: subjectKey },
});

export type NewDecision = Pick<Decision, 'topic' | 'subject' | 'owner' | 'dueOn'> & {
  status: DecisionStatus;
  outcome: string | null;
  /** Names the automatic run that creates it (`definitions-review:2026-Q1`); it then exists once. */
  sourceKey?: string;
};

/**
 * Adds an action at `now`. With a `sourceKey` already in the log nothing is added and `undefined`
 * comes back, so an automatic run can create its action exactly once.
 */
export async function insertDecision(
  db: Queryable,
  portalId: number,
  decision: NewDecision,
  now: Date,
): Promise<Decision | undefined> {
  const { rows } = await db.query<Row>(
    `INSERT INTO decisions (portal_id, topic, subject_kind, subject_key, owner, due_on, status, outcome, source_key,
                            created_at, updated_at, closed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, CASE WHEN $7 = 'open' THEN NULL ELSE $10::timestamptz END)
     ON CONFLICT (portal_id, source_key) WHERE source_key IS NOT NULL DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      portalId,
      decision.topic,
      decision.subject.kind,
      decision.subject.key,
      decision.owner,
      decision.dueOn,
      decision.status,
      decision.outcome,
      decision.sourceKey ?? null,
      now,
    ],
  );
  return rows[0] && toDecision(rows[0]);
}

export async function findDecision(db: Queryable, portalId: number, id: number): Promise<Decision | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM decisions WHERE portal_id = $1 AND id = $2`, [
    portalId,
    id,
  ]);
  return rows[0] && toDecision(rows[0]);
}

export async function findDecisionBySource(
  db: Queryable,
  portalId: number,
  sourceKey: string,
): Promise<Decision | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM decisions WHERE portal_id = $1 AND source_key = $2`, [
    portalId,
    sourceKey,
  ]);
  return rows[0] && toDecision(rows[0]);
}

/** What an update changes; absent fields stay. `outcome: null` clears the outcome. */
export type DecisionChanges = Partial<Pick<Decision, 'topic' | 'owner' | 'dueOn' | 'status' | 'outcome'>>;

/**
 * Applies changes at `now`. Closing (to done or dropped) stamps `closed_at`; reopening clears it; moving
 * between done and dropped keeps the first close. Returns the action as it is now, or undefined when
 * the portal has no action with that id.
 */
export async function updateDecision(
  db: Queryable,
  portalId: number,
  id: number,
  changes: DecisionChanges,
  now: Date,
): Promise<Decision | undefined> {
  const { rows } = await db.query<Row>(
    `UPDATE decisions
        SET topic = coalesce($3, topic),
            owner = coalesce($4, owner),
            due_on = coalesce($5::date, due_on),
            status = coalesce($6, status),
            outcome = CASE WHEN $7::boolean THEN $8 ELSE outcome END,
            closed_at = CASE WHEN coalesce($6, status) = 'open' THEN NULL ELSE coalesce(closed_at, $9) END,
            updated_at = $9
      WHERE portal_id = $1 AND id = $2
      RETURNING ${COLUMNS}`,
    [
      portalId,
      id,
      changes.topic ?? null,
      changes.owner ?? null,
      changes.dueOn ?? null,
      changes.status ?? null,
      changes.outcome !== undefined,
      changes.outcome ?? null,
      now,
    ],
  );
  return rows[0] && toDecision(rows[0]);
}

export type DecisionFilter = {
  status?: DecisionStatus;
  owner?: string;
  subjectKind?: SubjectKind;
  subjectKey?: string;
  /** Due on or before this day (`YYYY-MM-DD`). */
  dueBy?: string;
  limit?: number;
};

/** The log, open actions first, then by due date and id. */
export async function listDecisions(db: Queryable, portalId: number, filter: DecisionFilter = {}): Promise<Decision[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM decisions
      WHERE portal_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR owner = $3)
        AND ($4::text IS NULL OR subject_kind = $4) AND ($5::text IS NULL OR subject_key = $5)
        AND ($6::date IS NULL OR due_on <= $6)
      ORDER BY status <> 'open', due_on, id
      LIMIT $7`,
    [
      portalId,
      filter.status ?? null,
      filter.owner ?? null,
      filter.subjectKind ?? null,
      filter.subjectKey ?? null,
      filter.dueBy ?? null,
      filter.limit ?? null,
    ],
  );
  return rows.map(toDecision);
}

/**
 * The actions the decision-log KPIs of `[from, to)` can count: those created before `to` and not
 * closed before `from` (Action Rate), and those due in the period's days (Decision SLA; the domain
 * applies the exact bounds).
 */
export async function decisionsForPeriod(db: Queryable, portalId: number, from: Date, to: Date): Promise<Decision[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM decisions
      WHERE portal_id = $1
        AND ((created_at < $3 AND (closed_at IS NULL OR closed_at >= $2))
             OR (due_on >= ($2::timestamptz AT TIME ZONE 'UTC')::date AND due_on <= ($3::timestamptz AT TIME ZONE 'UTC')::date))
      ORDER BY id`,
    [portalId, from, to],
  );
  return rows.map(toDecision);
}

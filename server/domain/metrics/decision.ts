import { z } from 'zod';

/**
 * The decision log's vocabulary: an action someone owns, taken on what a digest or a dashboard showed.
 * Its subject is what it is about, so Action Rate can tell which digest items got an action:
 * - `finding`: a finding code of the issue log (`missing_field:amount`);
 * - `metric`: a KPI (`sla_compliance:first_touch`, `duplicate_rate`);
 * - `definitions`: the policy itself (the quarterly review).
 */
export const DecisionStatus = z.enum(['open', 'done', 'dropped']);
export type DecisionStatus = z.output<typeof DecisionStatus>;

export const SubjectKind = z.enum(['finding', 'metric', 'definitions']);
export type SubjectKind = z.output<typeof SubjectKind>;

export const DecisionSubject = z.strictObject({
  kind: SubjectKind,
  key: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});
export type DecisionSubject = z.output<typeof DecisionSubject>;

/** A calendar day, `YYYY-MM-DD` (UTC); an action is due by the end of it. */
export const CalendarDate = z.iso.date('must be a date as YYYY-MM-DD');

export type Decision = {
  id: number;
  topic: string;
  subject: DecisionSubject;
  owner: string;
  dueOn: string;
  status: DecisionStatus;
  outcome: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** When it became done or dropped; null while open. */
  closedAt: Date | null;
};

export const subjectId = (subject: DecisionSubject): string => `${subject.kind}:${subject.key}`;

/** The instant an action due on `dueOn` is late from: the start of the next UTC day. */
export function dueEnd(dueOn: string): number {
  return Date.parse(`${dueOn}T00:00:00.000Z`) + 86_400_000;
}

/**
 * What is wrong with an action's state, if anything: a closed action (done or dropped) says what came of
 * it, since the outcome is what the log is kept for.
 */
export function decisionProblems(state: {
  status: DecisionStatus;
  outcome: string | null;
}): { path: string; message: string }[] {
  return state.status !== 'open' && (state.outcome === null || state.outcome.trim() === '')
    ? [{ path: 'outcome', message: `is required when the status is ${state.status}` }]
    : [];
}

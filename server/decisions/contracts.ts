import { z } from 'zod';
import { CalendarDate, DecisionStatus, DecisionSubject, SubjectKind } from '../domain/metrics/index.ts';

/**
 * What the decision log's use cases take, as the admin page's JSON API will pass it on. Strict objects:
 * a misspelt field is an error that names it, not a silently ignored key.
 */

const Topic = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
/** Who answers for the action: an email address or a name, as the team writes it. */
const Owner = z.string().trim().min(1, 'must not be empty').max(320, 'must be at most 320 characters');
const Outcome = z.string().trim().min(1, 'must not be empty').max(5_000, 'must be at most 5000 characters');

export const CreateDecisionInput = z.strictObject({
  topic: Topic,
  subject: DecisionSubject,
  owner: Owner,
  dueOn: CalendarDate,
  status: DecisionStatus.default('open'),
  outcome: Outcome.nullable().default(null),
});
export type CreateDecisionInput = z.input<typeof CreateDecisionInput>;

export const UpdateDecisionInput = z
  .strictObject({
    topic: Topic.optional(),
    owner: Owner.optional(),
    dueOn: CalendarDate.optional(),
    status: DecisionStatus.optional(),
    /** `null` clears it. */
    outcome: Outcome.nullable().optional(),
  })
  .refine((changes) => Object.keys(changes).length > 0, 'names nothing to change');
export type UpdateDecisionInput = z.input<typeof UpdateDecisionInput>;

export const DecisionId = z.coerce
  .number({ error: 'must be a decision id' })
  .int('must be a decision id')
  .positive('must be a decision id')
  .max(Number.MAX_SAFE_INTEGER, 'must be a decision id');

/** Filters of the log, as query-string values (strings) or typed values. */
export const ListDecisionsQuery = z.strictObject({
  status: DecisionStatus.optional(),
  owner: Owner.optional(),
  subjectKind: SubjectKind.optional(),
  subjectKey: z.string().trim().min(1).max(200).optional(),
  dueBy: CalendarDate.optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
});
export type ListDecisionsQuery = z.input<typeof ListDecisionsQuery>;

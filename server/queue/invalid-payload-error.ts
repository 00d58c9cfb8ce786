import type { z } from 'zod';

/** A payload its definition's schema refused; the message names every bad field. */
export class InvalidJobPayloadError extends Error {
  readonly jobName: string;
  readonly issues: readonly z.core.$ZodIssue[];
  constructor(jobName: string, error: z.ZodError) {
    const problems = error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
    super(`invalid payload for job "${jobName}": ${problems.join('; ')}`, { cause: error });
    this.name = 'InvalidJobPayloadError';
    this.jobName = jobName;
    this.issues = error.issues;
  }
}

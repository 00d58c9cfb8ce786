import type { z } from 'zod';

/** One thing wrong with a request: where (`subject.key`, `dueOn`; empty for the whole) and what. */
export type InputProblem = { path: string; message: string };

/** A request the decision log refuses as it stands (the HTTP layer answers 400 with the problems). */
export class DecisionInputError extends Error {
  readonly problems: readonly InputProblem[];

  constructor(problems: readonly InputProblem[]) {
    super(problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '));
    this.name = 'DecisionInputError';
    this.problems = problems;
  }

  static of(error: z.ZodError): DecisionInputError {
    return new DecisionInputError(error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
}

/** The portal has no action with that id (404). */
export class DecisionNotFound extends Error {
  constructor(portalId: number, id: number) {
    super(`portal ${portalId} has no decision ${id}`);
    this.name = 'DecisionNotFound';
  }
}

/** Parses `input` with `schema`, or throws the problems as a DecisionInputError. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw DecisionInputError.of(parsed.error);
  return parsed.data;
}

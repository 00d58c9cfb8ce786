import type { z } from 'zod';

/**
 * A rule the schema cannot express structurally, broken at `path` (relative to the value being
 * checked). Consistency checks are written as plain functions returning these, so they read and test
 * without zod; `reportProblems` hands them to zod so they surface with every other parse error.
 */
export type Problem = { path: (string | number)[]; message: string };

export function reportProblems(problems: readonly Problem[], ctx: z.RefinementCtx<unknown>): void {
  for (const { path, message } of problems) ctx.addIssue({ code: 'custom', path, message });
}

/** One problem per item whose key was already used by an earlier item, reported on the later one. */
export function duplicateKeys<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  describe: (key: string) => string,
  field?: string,
): Problem[] {
  const firstIndex = new Map<string, number>();
  const problems: Problem[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, index);
    else
      problems.push({
        path: field === undefined ? [index] : [index, field],
        message: `duplicate ${describe(key)} (already at index ${first})`,
      });
  });
  return problems;
}

/** Prefixes every problem's path, to lift a section's problems to the document. */
export function under(prefix: (string | number)[], problems: readonly Problem[]): Problem[] {
  return problems.map(({ path, message }) => ({ path: [...prefix, ...path], message }));
}

import type { z } from 'zod';

/**
 * One reason a definitions document was refused. `path` is where in the document, written the way a
 * person would point at it (`requiredFields[3].rule`, `'' ` for the whole document); `line` and
 * `column` (1-based) are given when the source text is known, e.g. YAML syntax errors.
 */
export type DefinitionsError = { path: string; message: string; line?: number; column?: number };

/** An error still holding its raw path, so a serializer can look the path up in its source text. */
export type RawDefinitionsError = { path: PropertyKey[]; message: string };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const name = String(segment);
      if (IDENTIFIER.test(name)) return index === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join('');
}

/** Messages worded for a person editing a document rather than for a developer reading zod's. */
export const definitionsErrorMap: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;

/**
 * Every zod issue as one or more errors with a full path. Nested issues are unfolded: an unknown key
 * is reported on the key itself, and for a union that matched no branch the branch that came closest
 * (fewest issues) speaks, since "matches none of 2 shapes" tells nobody what to fix.
 */
export function errorsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  base: readonly PropertyKey[] = [],
): RawDefinitionsError[] {
  return issues.flatMap((issue): RawDefinitionsError[] => {
    const path = [...base, ...issue.path];
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ path: [...path, key], message: 'is not a known key here' }));
      case 'invalid_union': {
        const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0];
        return closest && closest.length > 0 ? errorsFromIssues(closest, path) : [{ path, message: issue.message }];
      }
      case 'invalid_key':
      case 'invalid_element':
        return errorsFromIssues(issue.issues, path);
      default:
        return [{ path, message: issue.message }];
    }
  });
}

import { isNode, LineCounter, parseDocument, stringify, type Document } from 'yaml';
import {
  definitionsErrorMap,
  errorsFromIssues,
  formatPath,
  type DefinitionsError,
  type RawDefinitionsError,
} from './definitions-error.ts';
import { DefinitionsSchema, type Definitions } from './schema.ts';

/**
 * Definitions to and from text, for admins who keep their policy in a repository and for the
 * settings page's import/export. Parsing is all or nothing: either valid definitions or every error
 * found, each with its path (and line/column where the text is known) — never a half-read policy.
 */

export type DefinitionsFormat = 'json' | 'yaml';

export type ParsedDefinitions = { ok: true; definitions: Definitions } | { ok: false; errors: DefinitionsError[] };

export function exportDefinitions(definitions: Definitions, format: DefinitionsFormat): string {
  if (format === 'json') return `${JSON.stringify(definitions, null, 2)}\n`;
  // No anchors/aliases for shared sub-objects (they read as noise to a person), no folding of long text.
  return stringify(definitions, { aliasDuplicateObjects: false, lineWidth: 0 });
}

export function parseDefinitions(text: string, format: DefinitionsFormat): ParsedDefinitions {
  return format === 'json' ? parseJson(text) : parseYaml(text);
}

/** Validates a value already decoded (e.g. a stored jsonb document). */
export function validateDefinitions(value: unknown): ParsedDefinitions {
  const result = checkValue(value);
  return result.ok ? result : { ok: false, errors: result.errors.map(({ path, message }) => located(path, message)) };
}

type Checked = { ok: true; definitions: Definitions } | { ok: false; errors: RawDefinitionsError[] };

function checkValue(value: unknown): Checked {
  const result = DefinitionsSchema.safeParse(value, { error: definitionsErrorMap });
  return result.success
    ? { ok: true, definitions: result.data }
    : { ok: false, errors: errorsFromIssues(result.error.issues) };
}

function parseJson(text: string): ParsedDefinitions {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [jsonSyntaxError(text, error)] };
  }
  const result = checkValue(value);
  if (result.ok) return result;
  // JSON is YAML, so YAML's parser can say where a path sits in the text.
  const locate = locator(text);
  return { ok: false, errors: result.errors.map(locate) };
}

function jsonSyntaxError(text: string, error: unknown): DefinitionsError {
  const message = error instanceof Error ? error.message : String(error);
  const at = /\s*in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
  const offset = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : undefined;
  const clean = at ? message.replace(at[0], '') : message;
  return offset === undefined
    ? { path: '', message: `not valid JSON: ${clean}` }
    : { path: '', message: `not valid JSON: ${clean}`, ...lineColumn(text, offset) };
}

function parseYaml(text: string): ParsedDefinitions {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0)
    return {
      ok: false,
      errors: problems.map((problem) => {
        const { line, col } = lineCounter.linePos(problem.pos[0]);
        return { path: '', message: `not valid YAML: ${problem.message}`, line, column: col };
      }),
    };
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, errors: [{ path: '', message: `not valid YAML: ${(error as Error).message}` }] };
  }
  const result = checkValue(value);
  if (result.ok) return result;
  const locate = documentLocator(document, lineCounter);
  return { ok: false, errors: result.errors.map(locate) };
}

function located(path: readonly PropertyKey[], message: string, line?: number, column?: number): DefinitionsError {
  return line === undefined ? { path: formatPath(path), message } : { path: formatPath(path), message, line, column };
}

function locator(text: string): (error: RawDefinitionsError) => DefinitionsError {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) return ({ path, message }) => located(path, message);
  return documentLocator(document, lineCounter);
}

/** Finds the node a path points at, or its nearest existing ancestor (a missing key is reported on its parent). */
function documentLocator(
  document: Document.Parsed,
  lineCounter: LineCounter,
): (error: RawDefinitionsError) => DefinitionsError {
  return ({ path, message }) => {
    for (let length = path.length; length > 0; length--) {
      const node: unknown = document.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return located(path, message, line, col);
      }
    }
    return located(path, message);
  };
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

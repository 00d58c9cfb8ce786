import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

/**
 * The architecture as rules over imports. Each rule names the files it governs and decides, for
 * one import of such a file, whether it is allowed; a message says why when it is not.
 */
export type Import = { from: string; specifier: string; resolved: string | undefined };
type Rule = { name: string; applies: (file: string) => boolean; check: (imp: Import) => string | undefined };

const under = (dir: string) => (file: string) => file === dir || file.startsWith(`${dir}/`);
const isPackage = (specifier: string) => !specifier.startsWith('.') && !specifier.startsWith('/');
const packageName = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(packageName(specifier));

/** Packages pure domain code may use: validation and parsing, nothing that reaches outside the process. */
const DOMAIN_PACKAGES = new Set(['zod', 'yaml']);
/** The demo runs the app against the sandbox; it and the sandbox's own CLI are the only code that may start one. */
const usesSandbox = (file: string) =>
  file === 'server/cli/sandbox.ts' || file === 'server/cli/demo.ts' || under('server/demo')(file);

export const RULES: Rule[] = [
  {
    name: 'domain is pure',
    applies: under('server/domain'),
    check: ({ specifier, resolved }) => {
      if (isPackage(specifier)) {
        if (isBuiltin(specifier)) return `imports the Node built-in "${specifier}"; domain code does no I/O`;
        if (!DOMAIN_PACKAGES.has(packageName(specifier)))
          return `imports "${specifier}"; domain code may only use ${[...DOMAIN_PACKAGES].join(', ')}`;
        return undefined;
      }
      return resolved && !under('server/domain')(resolved)
        ? `imports ${resolved}, outside server/domain; I/O belongs at the edges`
        : undefined;
    },
  },
  {
    // The demo is the one place that runs the whole system (sandbox, server and workers) in one process.
    name: 'server does not depend on workers',
    applies: (file) => under('server')(file) && !(file === 'server/cli/demo.ts' || under('server/demo')(file)),
    check: ({ resolved }) => (resolved && under('workers')(resolved) ? `imports ${resolved}` : undefined),
  },
  {
    name: 'workers do not import the HTTP layer',
    applies: under('workers'),
    check: ({ resolved }) => (resolved && under('server/http')(resolved) ? `imports ${resolved}` : undefined),
  },
  {
    name: 'production code never reaches the sandbox or the tests',
    applies: (file) =>
      (under('server')(file) || under('workers')(file)) && !under('server/sandbox')(file) && !usesSandbox(file),
    check: ({ resolved }) =>
      resolved && (under('server/sandbox')(resolved) || under('tests')(resolved)) ? `imports ${resolved}` : undefined,
  },
  {
    name: 'the sandbox stands alone (it must not share code it could agree with by accident)',
    applies: under('server/sandbox'),
    check: ({ resolved }) =>
      resolved && !under('server/sandbox')(resolved) ? `imports ${resolved}, outside server/sandbox` : undefined,
  },
  {
    name: 'cards and settings code ship alone',
    applies: under('extensions'),
    check: ({ resolved }) =>
      resolved && !under('extensions')(resolved) ? `imports ${resolved}, outside extensions/` : undefined,
  },
];

/** Every import of one source file, with relative specifiers resolved to repository paths. */
export function importsOf(file: string, source: string): Import[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles.map(({ fileName: specifier }) => ({
    from: file,
    specifier,
    resolved: isPackage(specifier)
      ? undefined
      : path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)),
  }));
}

export function findViolations(files: { path: string; source: string }[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const rules = RULES.filter((rule) => rule.applies(file.path));
    if (rules.length === 0) continue;
    for (const imp of importsOf(file.path, file.source)) {
      for (const rule of rules) {
        const problem = rule.check(imp);
        if (problem) violations.push(`${file.path}: ${problem} (rule: ${rule.name})`);
      }
    }
  }
  return violations;
}

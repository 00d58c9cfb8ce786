import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEFINITIONS,
  exportDefinitions,
  parseDefinitions,
  type Definitions,
  type DefinitionsFormat,
} from '../../../server/domain/policy/index.ts';

const FORMATS: DefinitionsFormat[] = ['json', 'yaml'];

function parsed(text: string, format: DefinitionsFormat): Definitions {
  const result = parseDefinitions(text, format);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.definitions;
}

function refused(text: string, format: DefinitionsFormat) {
  const result = parseDefinitions(text, format);
  if (result.ok) throw new Error('expected the text to be refused');
  // All or nothing: a refused document yields no definitions at all.
  expect(result).not.toHaveProperty('definitions');
  return result.errors;
}

describe.each(FORMATS)('%s round trip', (format) => {
  it('gives back version 1 exactly', () => {
    expect(parsed(exportDefinitions(DEFAULT_DEFINITIONS, format), format)).toEqual(DEFAULT_DEFINITIONS);
  });

  it('gives back any labels and numbers an admin may type', () => {
    const label = fc.string({ minLength: 1, unit: 'grapheme' }).filter((s) => s.trim() === s && s.length > 0);
    fc.assert(
      fc.property(
        label,
        label,
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0.001, max: 1e6, noNaN: true }),
        (a, b, days, hours) => {
          const edited = structuredClone(DEFAULT_DEFINITIONS) as Definitions;
          edited.picklists[0]!.options[0]!.label = a;
          edited.properties.writtenBack[0]!.description = b;
          edited.checklists[0]!.items[6]!.label = `${a} ${b}`;
          edited.attribution.lookbackDays = days;
          edited.slas[0]!.threshold.value = hours;
          expect(parsed(exportDefinitions(edited, format), format)).toEqual(edited);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('export', () => {
  it('writes YAML a person can read: no anchors for shared values, no folded lines', () => {
    const yaml = exportDefinitions(DEFAULT_DEFINITIONS, 'yaml');
    expect(yaml).not.toMatch(/[&*]a\d/);
    expect(yaml).toContain('  - object: deal\n    stage: proposal\n    applies: from\n    field: clr_sla_scope\n');
    expect(yaml).toContain(
      '      description: Share of the applicable closed-loop checks the record passes, 0–100. Computed by Closed Loop.\n',
    );
  });

  it('writes JSON with a final newline, indented', () => {
    const json = exportDefinitions(DEFAULT_DEFINITIONS, 'json');
    expect(json.startsWith('{\n  "format": "closed-loop-definitions/1",')).toBe(true);
    expect(json.endsWith('}\n')).toBe(true);
  });
});

describe('import errors', () => {
  const yaml = exportDefinitions(DEFAULT_DEFINITIONS, 'yaml');
  const json = exportDefinitions(DEFAULT_DEFINITIONS, 'json');

  it('reports every schema error of a YAML document, with its path and line', () => {
    const broken = yaml
      .replace('rule: picklist:icp_tier', 'rule: picklist:icp')
      .replace('lookbackDays: 365', 'lookbackDays: -1')
      .replace('applies: only', 'applies: sometimes');
    const errors = refused(broken, 'yaml');
    const lineOf = (text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(errors.map(({ path, line }) => ({ path, line }))).toEqual([
      { path: 'requiredFields[9].applies', line: lineOf('applies: only') },
      { path: 'attribution.lookbackDays', line: lineOf('lookbackDays: 365') },
    ]);
  });

  it('reports reference errors together with structural ones in other sections', () => {
    const broken = yaml
      .replace('rule: picklist:icp_tier', 'rule: picklist:icp')
      .replace('lookbackDays: 365', 'lookbackDays: -1');
    expect(refused(broken, 'yaml').map((e) => e.path)).toEqual(['attribution.lookbackDays', 'requiredFields[3].rule']);
  });

  it('reports a YAML syntax error with its line and column', () => {
    const errors = refused('format: closed-loop-definitions/1\nstages: [contact\npicklists: []\n', 'yaml');
    expect(errors[0]).toMatchObject({ path: '', line: 3, column: 1 });
    expect(errors[0]!.message).toMatch(/^not valid YAML: /);
  });

  it('refuses duplicate YAML keys instead of silently keeping one', () => {
    const errors = refused(yaml.replace('lookbackDays: 365\n', 'lookbackDays: 365\n  lookbackDays: 30\n'), 'yaml');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/unique/);
    expect(errors[0]!.line).toBe(yaml.split('\n').findIndex((l) => l.includes('lookbackDays')) + 2);
  });

  it('refuses several YAML documents in one text', () => {
    expect(refused(`${yaml}---\n${yaml}`, 'yaml')[0]!.message).toMatch(/multiple documents/);
  });

  it('refuses an empty document', () => {
    expect(refused('', 'yaml')).toEqual([{ path: '', message: 'Invalid input: expected object, received null' }]);
    expect(refused('', 'json')[0]).toMatchObject({ path: '', line: 1, column: 1 });
  });

  it('reports a JSON syntax error with its line and column', () => {
    const broken = json.replace('"lookbackDays": 365', '"lookbackDays": 365,');
    const errors = refused(broken, 'json');
    const line = broken.split('\n').findIndex((l) => l.includes('"lookbackDays"')) + 1;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: '', line, column: 25 });
    expect(errors[0]!.message).toMatch(/^not valid JSON: /);
  });

  it('reports JSON schema errors with their path and line', () => {
    const broken = json.replace('"lookbackDays": 365', '"lookbackDays": "a year"');
    const line = json.split('\n').findIndex((l) => l.includes('"lookbackDays"')) + 1;
    expect(refused(broken, 'json')).toEqual([
      {
        path: 'attribution.lookbackDays',
        message: 'Invalid input: expected number, received string',
        line,
        column: 21,
      },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { PropertyDefinition } from '../../../server/sandbox/properties/definitions.ts';
import { checkValue, invalidPropertiesMessage } from '../../../server/sandbox/properties/validate.ts';

const def = (
  type: PropertyDefinition['type'],
  fieldType: string,
  extra: Partial<PropertyDefinition> = {},
): PropertyDefinition => ({
  name: 'p',
  label: 'P',
  type,
  fieldType,
  groupName: 'g',
  description: '',
  options: [
    { label: 'A', value: 'a' },
    { label: 'B', value: 'b' },
  ],
  displayOrder: 0,
  hidden: false,
  formField: false,
  hasUniqueValue: false,
  calculated: false,
  externalOptions: false,
  hubspotDefined: false,
  readOnlyValue: false,
  archived: false,
  ...extra,
});

const ok = (d: PropertyDefinition, v: string, current?: string) => {
  const r = checkValue(d, v, current);
  return r.ok ? r.value : `!${r.problem.error}`;
};

describe('property value validation', () => {
  it('enumerations: options only; multi-select `;` lists and `;`-append', () => {
    expect(ok(def('enumeration', 'select'), 'a')).toBe('a');
    expect(ok(def('enumeration', 'select'), 'c')).toBe('!INVALID_OPTION');
    expect(ok(def('enumeration', 'checkbox'), 'a;b')).toBe('a;b');
    expect(ok(def('enumeration', 'checkbox'), ';b', 'a')).toBe('a;b');
    expect(ok(def('enumeration', 'checkbox'), 'a;c')).toBe('!INVALID_OPTION');
  });

  it('numbers, booleans', () => {
    expect(ok(def('number', 'number'), '86400.52')).toBe('86400.52');
    expect(ok(def('number', 'number'), '-1e3')).toBe('-1e3');
    expect(ok(def('number', 'number'), '12abc')).toBe('!INVALID_DECIMAL');
    expect(ok(def('bool', 'booleancheckbox'), 'true')).toBe('true');
    expect(ok(def('bool', 'booleancheckbox'), 'yes')).toBe('!INVALID_BOOLEAN');
  });

  it('dates at midnight UTC, datetimes as ISO', () => {
    expect(ok(def('date', 'date'), '2026-11-01')).toBe('2026-11-01');
    expect(ok(def('date', 'date'), String(Date.parse('2026-11-01T00:00:00Z')))).toBe('2026-11-01');
    expect(ok(def('date', 'date'), String(Date.parse('2026-11-01T00:00:01Z')))).toBe('!INVALID_DATE');
    expect(ok(def('datetime', 'date'), '1730000000000')).toBe(new Date(1730000000000).toISOString());
    expect(ok(def('datetime', 'date'), '2026-11-01T10:00:00+02:00')).toBe('2026-11-01T08:00:00.000Z');
    expect(ok(def('datetime', 'date'), 'tomorrow')).toBe('!INVALID_DATETIME');
  });

  it('an empty string clears; read-only values refuse writes', () => {
    expect(ok(def('number', 'number'), '')).toBe('');
    expect(ok(def('string', 'text', { readOnlyValue: true }), 'x')).toBe('!READ_ONLY_VALUE');
  });

  it('words the 400 as HubSpot does', () => {
    const message = invalidPropertiesMessage([
      { name: 'p', problem: { error: 'INVALID_OPTION', message: 'c was not one of the allowed options: [a, b]' } },
    ]);
    expect(message.startsWith('Property values were not valid: [')).toBe(true);
    expect(JSON.parse(message.slice('Property values were not valid: '.length))).toEqual([
      {
        isValid: false,
        message: 'c was not one of the allowed options: [a, b]',
        error: 'INVALID_OPTION',
        name: 'p',
        localizedErrorMessage: 'c was not one of the allowed options: [a, b]',
      },
    ]);
  });
});

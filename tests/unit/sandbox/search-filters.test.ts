import { describe, expect, it } from 'vitest';
import type { StoredObject } from '../../../server/sandbox/objects.ts';
import type { PropertyDefinition } from '../../../server/sandbox/properties/definitions.ts';
import {
  sortRecords,
  compileFilter,
  compileFilterGroups,
  parseSort,
  type Filter,
} from '../../../server/sandbox/search/filters.ts';

const obj = (id: string, props: Record<string, string>): StoredObject => ({
  id,
  type: 'contacts',
  createdAt: 0,
  updatedAt: 0,
  archived: false,
  properties: new Map(Object.entries(props)),
  history: new Map(),
});

const def = (name: string, type: PropertyDefinition['type'], fieldType = 'text'): PropertyDefinition => ({
  name,
  label: name,
  type,
  fieldType,
  groupName: 'g',
  description: '',
  options: [],
  displayOrder: 0,
  hidden: false,
  formField: false,
  hasUniqueValue: false,
  calculated: false,
  externalOptions: false,
  hubspotDefined: true,
  readOnlyValue: false,
  archived: false,
});

const DEFS = new Map([
  ['lastmodifieddate', def('lastmodifieddate', 'datetime', 'date')],
  ['amount', def('amount', 'number', 'number')],
  ['email', def('email', 'string')],
  ['tags', def('tags', 'enumeration', 'checkbox')],
]);
const lookup = (name: string) => DEFS.get(name);
const test = (filter: Filter, o: StoredObject) => compileFilter('contacts', filter, lookup)(o);

describe('search filters', () => {
  const a = obj('1', {
    lastmodifieddate: '2026-10-01T12:00:00.000Z',
    amount: '86400.52',
    email: 'Ana@Example.com',
    tags: 'x;y',
    clr_when: '2026-05-01T00:00:00.000Z',
  });
  const b = obj('2', { amount: '9', email: '' });

  it('compares datetime values with epoch-ms filter values', () => {
    const at = Date.parse('2026-10-01T12:00:00.000Z');
    expect(test({ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(at) }, a)).toBe(true);
    expect(test({ propertyName: 'lastmodifieddate', operator: 'GT', value: String(at) }, a)).toBe(false);
    expect(test({ propertyName: 'lastmodifieddate', operator: 'LT', value: '2026-10-02T00:00:00Z' }, a)).toBe(true);
    expect(
      test({ propertyName: 'lastmodifieddate', operator: 'BETWEEN', value: String(at - 1), highValue: String(at) }, a),
    ).toBe(true);
  });

  it('infers how to compare a property the portal does not define', () => {
    expect(test({ propertyName: 'clr_when', operator: 'LT', value: String(Date.parse('2026-06-01')) }, a)).toBe(true);
  });

  it('compares numbers numerically and text case-insensitively', () => {
    expect(test({ propertyName: 'amount', operator: 'GT', value: '10000' }, a)).toBe(true);
    expect(test({ propertyName: 'amount', operator: 'GT', value: '10' }, b)).toBe(false);
    expect(test({ propertyName: 'email', operator: 'EQ', value: 'ana@example.COM' }, a)).toBe(true);
    expect(test({ propertyName: 'email', operator: 'IN', values: ['ANA@EXAMPLE.COM'] }, a)).toBe(true);
  });

  it('treats empty values as absent; NEQ and NOT_IN include records without the property', () => {
    expect(test({ propertyName: 'email', operator: 'HAS_PROPERTY' }, b)).toBe(false);
    expect(test({ propertyName: 'email', operator: 'NOT_HAS_PROPERTY' }, b)).toBe(true);
    expect(test({ propertyName: 'email', operator: 'NEQ', value: 'x' }, b)).toBe(true);
    expect(test({ propertyName: 'email', operator: 'NOT_IN', values: ['x'] }, b)).toBe(true);
    expect(test({ propertyName: 'email', operator: 'LT', value: 'z' }, b)).toBe(false);
  });

  it('matches any selected value of a multi-select, and tokens', () => {
    expect(test({ propertyName: 'tags', operator: 'IN', values: ['y'] }, a)).toBe(true);
    expect(test({ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@example.com' }, a)).toBe(true);
    expect(test({ propertyName: 'email', operator: 'NOT_CONTAINS_TOKEN', value: '*@other.com' }, a)).toBe(true);
  });

  it('ORs groups and ANDs filters', () => {
    const match = compileFilterGroups(
      'contacts',
      [
        {
          filters: [
            { propertyName: 'amount', operator: 'GT', value: '100' },
            { propertyName: 'email', operator: 'HAS_PROPERTY' },
          ],
        },
        { filters: [{ propertyName: 'amount', operator: 'EQ', value: '9' }] },
      ],
      lookup,
    );
    expect([a, b].map(match)).toEqual([true, true]);
  });

  it('refuses unknown operators and missing values', () => {
    expect(() => test({ propertyName: 'email', operator: 'LIKE', value: 'x' }, a)).toThrow(/Unknown filter operator/);
    expect(() => test({ propertyName: 'email', operator: 'EQ' }, a)).toThrow(/needs a value/);
    expect(() => test({ propertyName: 'email', operator: 'IN', values: [] }, a)).toThrow(/non-empty values/);
  });

  it('sorts by one property, records without a value last, ties by id', () => {
    const c = obj('3', { amount: '9' });
    const sorted = sortRecords([obj('4', {}), c, b, a], parseSort('-amount'), lookup).map((o) => o.id);
    expect(sorted).toEqual(['1', '2', '3', '4']);
    expect(parseSort({ propertyName: 'x', direction: 'DESCENDING' })).toEqual({
      propertyName: 'x',
      direction: 'DESCENDING',
    });
  });
});

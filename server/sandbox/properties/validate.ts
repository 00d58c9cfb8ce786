import type { PropertyDefinition } from './definitions.ts';

/**
 * Checks one written value against its property definition, as HubSpot's write endpoints do, and
 * normalises it the way HubSpot stores it (datetimes as ISO strings, dates as YYYY-MM-DD). An empty
 * string clears a property and is always accepted.
 */
export type ValueProblem = { error: string; message: string };
export type ValueCheck = { ok: true; value: string } | { ok: false; problem: ValueProblem };

const MAX_STRING = 65_536;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const EPOCH_MS = /^-?\d{1,15}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

const bad = (error: string, message: string): ValueCheck => ({ ok: false, problem: { error, message } });

export function propertyDoesNotExist(name: string): ValueProblem {
  return { error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` };
}

export function checkValue(def: PropertyDefinition, raw: unknown, current: string | undefined): ValueCheck {
  if (raw === null || raw === undefined) return { ok: true, value: '' };
  const value =
    typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
  if (value === undefined) return bad('INVALID_PROPERTY_VALUE', `"${def.name}" must be a string`);
  if (def.readOnlyValue) {
    return bad('READ_ONLY_VALUE', `"${def.name}" is a read only property; its value cannot be set.`);
  }
  if (value === '') return { ok: true, value };
  switch (def.type) {
    case 'string':
      return value.length > MAX_STRING
        ? bad('INVALID_STRING', `"${def.name}" is longer than ${MAX_STRING} characters`)
        : { ok: true, value };
    case 'number':
      return NUMBER.test(value.trim())
        ? { ok: true, value: value.trim() }
        : bad('INVALID_DECIMAL', `${value} is not a valid decimal`);
    case 'bool':
      return value === 'true' || value === 'false'
        ? { ok: true, value }
        : bad('INVALID_BOOLEAN', `${value} is not a valid boolean value; use true or false`);
    case 'date':
      return checkDate(value);
    case 'datetime':
      return checkDatetime(value);
    case 'enumeration':
      return checkOptions(def, value, current);
  }
}

function checkDate(value: string): ValueCheck {
  if (DATE_ONLY.test(value)) {
    const ms = Date.parse(`${value}T00:00:00.000Z`);
    return Number.isNaN(ms) ? bad('INVALID_DATE', `${value} is not a valid date`) : { ok: true, value };
  }
  if (EPOCH_MS.test(value)) {
    const ms = Number(value);
    const d = new Date(ms);
    if (ms % 86_400_000 !== 0) {
      const time = `${d.getUTCHours()}:${d.getUTCMinutes()}:${d.getUTCSeconds()}.${d.getUTCMilliseconds()}`;
      return bad('INVALID_DATE', `${value} is at ${time} UTC, not midnight!`);
    }
    return { ok: true, value: d.toISOString().slice(0, 10) };
  }
  return bad('INVALID_DATE', `${value} is not a valid date; use YYYY-MM-DD or epoch milliseconds at midnight UTC`);
}

function checkDatetime(value: string): ValueCheck {
  if (EPOCH_MS.test(value)) return { ok: true, value: new Date(Number(value)).toISOString() };
  if (ISO.test(value) || DATE_ONLY.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return { ok: true, value: new Date(ms).toISOString() };
  }
  return bad('INVALID_DATETIME', `${value} is not a valid datetime; use ISO 8601 or epoch milliseconds`);
}

function checkOptions(def: PropertyDefinition, value: string, current: string | undefined): ValueCheck {
  const allowed = new Set(def.options.map((o) => o.value));
  const multi = def.fieldType === 'checkbox';
  // A multi-select value is `;`-separated; a leading `;` appends to the current values.
  const append = multi && value.startsWith(';');
  const parts = multi ? value.split(';').filter((p) => p !== '') : [value];
  const wrong = parts.filter((p) => !allowed.has(p));
  if (wrong.length > 0) {
    const list = def.options.map((o) => o.value).join(', ');
    return bad('INVALID_OPTION', `${wrong.join(';')} was not one of the allowed options: [${list}]`);
  }
  if (!append) return { ok: true, value: parts.join(';') };
  const merged = [...new Set([...(current ?? '').split(';').filter((p) => p !== ''), ...parts])];
  return { ok: true, value: merged.join(';') };
}

/** HubSpot's message for a write with invalid properties: the failures as JSON inside the message. */
export function invalidPropertiesMessage(problems: { name: string; problem: ValueProblem }[]): string {
  const detail = problems.map(({ name, problem }) => ({
    isValid: false,
    message: problem.message,
    error: problem.error,
    name,
    localizedErrorMessage: problem.message,
  }));
  return `Property values were not valid: ${JSON.stringify(detail)}`;
}

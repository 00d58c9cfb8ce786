import type { CrmObjectType } from '../contracts.ts';
import { HubSpotError, errorBody, validationError } from '../errors.ts';

/** Query and path parameters the way HubSpot reads them. */

const OBJECT_TYPE_ALIASES: Record<string, CrmObjectType> = {
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  companies: 'companies',
  company: 'companies',
  '0-2': 'companies',
  deals: 'deals',
  deal: 'deals',
  '0-3': 'deals',
  tickets: 'tickets',
  ticket: 'tickets',
  '0-5': 'tickets',
};

export function objectType(raw: unknown): CrmObjectType {
  const type = typeof raw === 'string' ? OBJECT_TYPE_ALIASES[raw.toLowerCase()] : undefined;
  if (!type) throw validationError(`Unable to infer object type from: ${String(raw)}`);
  return type;
}

/** Repeated (`a=1&a=2`) or comma-separated (`a=1,2`) list parameters. */
export function listParam(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const values = Array.isArray(raw) ? raw : [raw];
  return values
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function stringParam(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  return Array.isArray(raw) ? String(raw[raw.length - 1]) : String(raw);
}

export function intParam(
  raw: unknown,
  name: string,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): number {
  const text = stringParam(raw);
  if (text === undefined || text === '') return fallback;
  if (!/^-?\d+$/.test(text)) throw validationError(`${name} must be an integer, got: ${text}`);
  const n = Number(text);
  if (n < min || n > max) throw validationError(`${name} must be between ${min} and ${max}, got: ${n}`);
  return n;
}

export function boolParam(raw: unknown, name: string): boolean {
  const text = stringParam(raw);
  if (text === undefined || text === '') return false;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw validationError(`${name} must be true or false, got: ${text}`);
}

/** The request body as an object, or HubSpot's 400 for anything else. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HubSpotError(
      400,
      errorBody('VALIDATION_ERROR', 'Invalid input JSON: the request body must be a JSON object'),
    );
  }
  return body as Record<string, unknown>;
}

export function stringList(raw: unknown, name: string): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string'))
    throw validationError(`${name} must be an array of strings`);
  return raw as string[];
}

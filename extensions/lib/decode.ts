import type { Decoder } from './card-api.ts';

/**
 * Minimal runtime decoders for the card API's answers (the server's zod contracts cannot be imported:
 * card code ships to HubSpot alone). Each checks one shape and returns it typed, or `undefined`.
 *
 * Objects are checked field by field and keep only the fields they name: an extra field is ignored, so
 * a server deployed ahead of the next `hs project upload` does not break every card.
 */

/** The type a decoder produces. */
export type Decoded<D> = D extends Decoder<infer T> ? T : never;

export const string: Decoder<string> = (value) => (typeof value === 'string' ? value : undefined);

export const boolean: Decoder<boolean> = (value) => (typeof value === 'boolean' ? value : undefined);

export const number: Decoder<number> = (value) =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** An integer within [min, max]. */
export function integer(min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Decoder<number> {
  return (value) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max ? (value as number) : undefined;
}

export function literal<const L extends string>(expected: L): Decoder<L> {
  return (value) => (value === expected ? expected : undefined);
}

export function oneOf<const L extends readonly string[]>(values: L): Decoder<L[number]> {
  return (value) => (typeof value === 'string' && values.includes(value) ? (value as L[number]) : undefined);
}

export function nullable<T>(decode: Decoder<T>): Decoder<T | null> {
  return (value) => (value === null ? null : decode(value));
}

export function array<T>(decode: Decoder<T>): Decoder<T[]> {
  return (value) => {
    if (!Array.isArray(value)) return undefined;
    const out: T[] = [];
    for (const item of value) {
      const decoded = decode(item);
      if (decoded === undefined) return undefined;
      out.push(decoded);
    }
    return out;
  };
}

type Shape = Record<string, Decoder<unknown>>;

export function object<S extends Shape>(shape: S): Decoder<{ [K in keyof S]: Decoded<S[K]> }> {
  return (value) => {
    if (!isRecord(value)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, decode] of Object.entries(shape)) {
      const decoded = decode(value[key]);
      if (decoded === undefined) return undefined;
      out[key] = decoded;
    }
    return out as { [K in keyof S]: Decoded<S[K]> };
  };
}

/** A discriminated union: `variants[value[key]]` decodes the value. */
export function tagged<M extends Record<string, Decoder<unknown>>>(
  key: string,
  variants: M,
): Decoder<Decoded<M[keyof M]>> {
  return (value) => {
    if (!isRecord(value)) return undefined;
    const tag = value[key];
    if (typeof tag !== 'string' || !Object.hasOwn(variants, tag)) return undefined;
    return variants[tag]!(value) as Decoded<M[keyof M]> | undefined;
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { ComputedRow } from '../db/repositories/computed-properties.ts';

/** A record's section-8 channel properties as a computed row: only the values known; none → no row. */
export function channelRow(
  objectType: string,
  id: string,
  properties: Record<string, string | undefined>,
): ComputedRow | undefined {
  const defined = Object.fromEntries(
    Object.entries(properties).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return Object.keys(defined).length > 0 ? { objectType, objectId: Number(id), properties: defined } : undefined;
}

import { currentDefinitions } from '../definitions/current-definitions.ts';
import type { Queryable } from '../db/pool.ts';

/** The channels a portal's current definitions govern: what an ingested touch or spend row may name. */
export async function governedChannels(db: Queryable, portalId: number): Promise<Set<string>> {
  const { definitions } = await currentDefinitions(db, portalId);
  const picklist = definitions.picklists.find((p) => p.name === definitions.channels.picklist);
  return new Set(picklist?.options.map((o) => o.value) ?? []);
}

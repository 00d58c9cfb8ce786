import type { Queryable } from '../db/pool.ts';
import { latestDefinitions } from '../db/repositories/definitions.ts';
import { validateDefinitions } from '../domain/policy/serialize.ts';

/** The channels a portal's current definitions govern: what an ingested touch or spend row may name. */
export async function governedChannels(db: Queryable, portalId: number): Promise<Set<string>> {
  const latest = await latestDefinitions(db, portalId);
  const parsed = latest ? validateDefinitions(latest.document) : undefined;
  if (!parsed?.ok) throw new Error(`portal ${portalId} has no valid definitions`);
  const { definitions } = parsed;
  const picklist = definitions.picklists.find((p) => p.name === definitions.channels.picklist);
  return new Set(picklist?.options.map((o) => o.value) ?? []);
}

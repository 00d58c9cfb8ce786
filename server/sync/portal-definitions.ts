import { latestDefinitions } from '../db/repositories/definitions.ts';
import type { Queryable } from '../db/pool.ts';
import { DEFAULT_DEFINITIONS } from '../domain/policy/default-policy.ts';
import { DefinitionsSchema, type Definitions } from '../domain/policy/schema.ts';

/**
 * The definitions the sync reads properties for: the portal's latest version, or the default policy
 * for a portal that has none yet (or whose stored document no longer validates, so the sync still
 * mirrors what the default needs rather than nothing).
 */
export async function definitionsForSync(db: Queryable, portalId: number): Promise<Definitions> {
  const latest = await latestDefinitions(db, portalId);
  if (!latest) return DEFAULT_DEFINITIONS;
  const parsed = DefinitionsSchema.safeParse(latest.document);
  return parsed.success ? parsed.data : DEFAULT_DEFINITIONS;
}

import type { Queryable } from '../db/pool.ts';
import { latestDefinitions } from '../db/repositories/definitions.ts';
import type { Definitions } from '../domain/policy/schema.ts';
import { validateDefinitions } from '../domain/policy/serialize.ts';

/**
 * A portal's current definitions: its latest stored version, validated. Stored versions were validated
 * when written, so a failure here means a bug or a hand-edited row; it is an error, never a silent
 * fall-back to another policy.
 */
export async function currentDefinitions(
  db: Queryable,
  portalId: number,
): Promise<{ version: number; definitions: Definitions }> {
  const latest = await latestDefinitions(db, portalId);
  if (!latest) throw new Error(`portal ${portalId} has no definitions`);
  const parsed = validateDefinitions(latest.document);
  if (!parsed.ok) throw new Error(`portal ${portalId}'s definitions v${latest.version} do not validate`);
  return { version: latest.version, definitions: parsed.definitions };
}

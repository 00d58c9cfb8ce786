import { currentDefinitions } from '../definitions/current-definitions.ts';
import type { Queryable } from '../db/pool.ts';
import type { Definitions } from '../domain/policy/index.ts';

/**
 * Each portal's current definitions, parsed and validated once per version instead of once per card
 * request. Versions are immutable, so a cached version is right for as long as it is the latest; the
 * caller learns the latest version number with its other reads and passes it in.
 */
export class DefinitionsCache {
  readonly #byPortal = new Map<number, { version: number; definitions: Definitions }>();

  async get(
    db: Queryable,
    portalId: number,
    latestVersion: number,
  ): Promise<{ version: number; definitions: Definitions }> {
    const cached = this.#byPortal.get(portalId);
    if (cached !== undefined && cached.version >= latestVersion) return cached;
    const current = await currentDefinitions(db, portalId);
    this.#byPortal.set(portalId, current);
    return current;
  }
}

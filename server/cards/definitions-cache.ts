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
  /** Loads under way, so requests arriving together after a new version read and parse it once. */
  readonly #loading = new Map<number, Promise<{ version: number; definitions: Definitions }>>();

  async get(
    db: Queryable,
    portalId: number,
    latestVersion: number,
  ): Promise<{ version: number; definitions: Definitions }> {
    const cached = this.#byPortal.get(portalId);
    if (cached !== undefined && cached.version >= latestVersion) return cached;
    let loading = this.#loading.get(portalId);
    if (loading === undefined) {
      loading = currentDefinitions(db, portalId).finally(() => this.#loading.delete(portalId));
      this.#loading.set(portalId, loading);
    }
    let current = await loading;
    // A load that started before `latestVersion` was stored may have read the one before it.
    if (current.version < latestVersion) current = await currentDefinitions(db, portalId);
    this.#byPortal.set(portalId, current);
    return current;
  }

  /**
   * The definitions last cached for a portal, without asking whether they are still the latest: only
   * for guessing ahead what a read will need (the caller checks the guess against what `get` gives).
   */
  peek(portalId: number): Definitions | undefined {
    return this.#byPortal.get(portalId)?.definitions;
  }
}

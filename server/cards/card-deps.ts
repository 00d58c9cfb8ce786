import type pg from 'pg';
import type { PortalHubSpotClient } from '../hubspot/portal-client.ts';
import type { RecordRef } from '../hygiene/evaluate-records.ts';
import type { CardReads } from './batched-reads.ts';
import type { DefinitionsCache } from './definitions-cache.ts';

/** Re-evaluates records at once and stores what the engine says (issue log, computed values). */
export type Reevaluate = (
  db: pg.Pool,
  portalId: number,
  refs: readonly RecordRef[],
  options: { now: Date },
) => Promise<unknown>;

/** What the card service is built on, once per process (`http/start-server.ts`). */
export type CardDeps = {
  db: pg.Pool;
  clientFor(portalId: number): Pick<PortalHubSpotClient, 'call'>;
  definitions: DefinitionsCache;
  reevaluate: Reevaluate;
  /** The clock the rules are evaluated against (SLAs, days in stage) and writes are stamped with. */
  now(): Date;
};

/**
 * What the card use cases run on: the dependencies and the card reads on their pool, batched across
 * the requests in flight (built with them in `card-service.ts`).
 */
export type CardContext = CardDeps & { reads: CardReads };

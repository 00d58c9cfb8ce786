import type pg from 'pg';
import type { HubSpotCaller } from './hubspot-caller.ts';

/** What every step of one sync run works with: the database, the portal's client, and the run's id. */
export type SyncRunContext = {
  readonly db: pg.Pool;
  readonly client: HubSpotCaller;
  readonly portalId: number;
  readonly runId: number;
  /** Aborted at worker shutdown: the run stops between pages (its checkpoints are committed). */
  readonly signal?: AbortSignal | undefined;
};

/** Throws when the run was asked to stop; called between pages, never inside a transaction. */
export function throwIfStopped(run: SyncRunContext): void {
  if (run.signal?.aborted) throw new Error('sync stopped at shutdown; it resumes from its checkpoints');
}

import type pg from 'pg';
import type { CallCounts } from '../hubspot/call-counters.ts';
import { findPortal } from '../db/repositories/portals.ts';
import {
  finishSyncRunAttempt,
  insertSyncRun,
  latestSyncRun,
  reopenSyncRun,
  type SyncRun,
} from '../db/repositories/sync-runs.ts';
import { syncArchivedRecords } from './archived-records.ts';
import { syncAssociationPair } from './associations.ts';
import { syncEvents } from './events.ts';
import type { HubSpotCaller } from './hubspot-caller.ts';
import { ASSOCIATION_PAIRS, SYNC_ORDER } from './mirror-types.ts';
import { syncObjectPages } from './object-pages.ts';
import { syncOwners } from './owners.ts';
import { syncPipelines } from './pipelines.ts';
import { definitionsForSync } from './portal-definitions.ts';
import { syncPropertiesOf } from './sync-properties.ts';
import type { SyncRunContext } from './sync-run-context.ts';

export type FullSyncDeps = {
  db: pg.Pool;
  client: HubSpotCaller;
  /** The portal's call counters (shared across processes), read before and after to count the run's calls. */
  counters?: { read(portalId: number): Promise<CallCounts> };
  signal?: AbortSignal | undefined;
};

export type FullSyncOutcome = { runId: number; status: 'succeeded' | 'skipped' };

/**
 * Mirrors one installed portal's CRM into Postgres: objects (with stage history → stage events; what
 * the listing no longer returns is archived, merged-away records fold into their survivors), the
 * recycle bin (deleted records), then associations (which page over the mirrored live ids), owners,
 * pipelines and contacts' events.
 *
 * A run is one `sync_runs` row; a failed or interrupted run is resumed by the next attempt (its
 * checkpoints name it), a finished one makes the next sync a new run that reads everything again.
 * Every write is an idempotent upsert, so a repeated page, a retried job or a second run leaves the
 * same rows.
 */
export async function runFullSync(deps: FullSyncDeps, portalId: number): Promise<FullSyncOutcome> {
  const portal = await findPortal(deps.db, portalId);
  // Uninstalled or waiting for re-auth: nothing to read with, and nothing to keep current.
  if (!portal || portal.status !== 'installed') return { runId: 0, status: 'skipped' };
  const run = await startOrResume(deps.db, portalId);
  const before = await deps.counters?.read(portalId);
  const context: SyncRunContext = { db: deps.db, client: deps.client, portalId, runId: run.id, signal: deps.signal };
  try {
    const wanted = syncPropertiesOf(await definitionsForSync(deps.db, portalId));
    for (const type of SYNC_ORDER) await syncObjectPages(context, type, wanted[type]);
    for (const type of SYNC_ORDER) await syncArchivedRecords(context, type, wanted[type]);
    for (const pair of ASSOCIATION_PAIRS) await syncAssociationPair(context, pair);
    await syncOwners(context);
    await syncPipelines(context);
    await syncEvents(context);
  } catch (error) {
    await finishSyncRunAttempt(deps.db, portalId, run.id, {
      status: 'failed',
      calls: await callsSince(deps, portalId, before),
      errorMessage: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
  await finishSyncRunAttempt(deps.db, portalId, run.id, {
    status: 'succeeded',
    calls: await callsSince(deps, portalId, before),
    errorMessage: null,
  });
  return { runId: run.id, status: 'succeeded' };
}

async function startOrResume(db: pg.Pool, portalId: number): Promise<SyncRun> {
  const latest = await latestSyncRun(db, portalId, 'full');
  if (latest && latest.status !== 'succeeded') {
    await reopenSyncRun(db, portalId, latest.id);
    return latest;
  }
  return insertSyncRun(db, portalId, 'full');
}

async function callsSince(deps: FullSyncDeps, portalId: number, before: CallCounts | undefined) {
  if (!deps.counters || !before) return { apiCalls: 0, rateLimited: 0, errors: 0 };
  const after = await deps.counters.read(portalId);
  const rateLimited = after.rate_limited - before.rate_limited;
  const errors = after.error - before.error;
  return { apiCalls: after.ok - before.ok + rateLimited + errors, rateLimited, errors };
}

import { z } from 'zod';
import type { Queryable } from '../db/pool.ts';
import { findPortal, type PortalStatus } from '../db/repositories/portals.ts';
import { latestSucceededSyncRuns, listSyncRuns, type SyncKind, type SyncRun } from '../db/repositories/sync-runs.ts';
import { listSyncStreamStates, type SyncStreamState } from '../db/repositories/sync-stream-states.ts';
import { fullSyncStreams } from './full-sync-streams.ts';

/**
 * A portal's sync status for the people watching it (the operator endpoint, `npm run sync:progress`,
 * later the settings page): the runs in progress with how far they got, the last successful run of
 * each kind, and the recent history.
 */
export type SyncStatus = {
  portalId: number;
  portalStatus: PortalStatus;
  running: RunProgress[];
  lastSucceeded: Partial<Record<SyncKind, SyncRunView>>;
  history: SyncRunView[];
};

/**
 * One run. `apiCalls`, `rateLimited` and `errors` are added when an attempt ends, so a running run
 * shows those of its earlier attempts only; `records` grows with every committed page.
 */
export type SyncRunView = SyncRun & { durationMs: number | null };

export type StreamState = 'done' | 'running' | 'pending';

export type RunProgress = {
  run: SyncRunView;
  /**
   * Full sync: each stream of the run (objects, associations, owners, pipelines, events) and whether
   * it finished. null where the total is not known in advance (incremental and webhook runs).
   */
  streams: { done: number; total: number; items: { stream: string; state: StreamState }[] } | null;
  /** When the run last committed a page (its checkpoints); a run that crashed stays "running" until resumed. */
  lastProgressAt: Date | null;
};

export const DEFAULT_HISTORY = 20;
export const MAX_HISTORY = 100;

/** The part of a full sync's cursor progress needs; the sync owns the rest of its shape. */
const FullCursor = z.looseObject({ runId: z.number(), done: z.boolean() });

/** undefined when Closed Loop has never heard of the portal. */
export async function readSyncStatus(
  db: Queryable,
  portalId: number,
  options: { history?: number; now?: Date } = {},
): Promise<SyncStatus | undefined> {
  const portal = await findPortal(db, portalId);
  if (!portal) return undefined;
  const now = options.now ?? new Date();
  const [history, succeeded] = await Promise.all([
    listSyncRuns(db, portalId, options.history ?? DEFAULT_HISTORY),
    latestSucceededSyncRuns(db, portalId),
  ]);
  const runningRuns = history.filter((run) => run.status === 'running');
  const fullStates = runningRuns.some((run) => run.kind === 'full')
    ? await listSyncStreamStates(db, portalId, 'full:')
    : [];
  return {
    portalId,
    portalStatus: portal.status,
    running: runningRuns.map((run) => progressOf(view(run, now), run.kind === 'full' ? fullStates : undefined)),
    lastSucceeded: Object.fromEntries(succeeded.map((run) => [run.kind, view(run, now)])),
    history: history.map((run) => view(run, now)),
  };
}

function view(run: SyncRun, now: Date): SyncRunView {
  const end = run.finishedAt ?? now;
  return { ...run, durationMs: Math.max(0, end.getTime() - run.startedAt.getTime()) };
}

function progressOf(run: SyncRunView, fullStates: SyncStreamState[] | undefined): RunProgress {
  if (!fullStates) return { run, streams: null, lastProgressAt: null };
  const ofRun = new Map<string, { state: StreamState; at: Date }>();
  for (const state of fullStates) {
    const cursor = FullCursor.safeParse(state.cursor);
    // A cursor of another run means the stream has not started in this one.
    if (cursor.success && cursor.data.runId === run.id)
      ofRun.set(state.stream, { state: cursor.data.done ? 'done' : 'running', at: state.updatedAt });
  }
  const known = fullSyncStreams();
  const names = [...known, ...[...ofRun.keys()].filter((name) => !known.includes(name))];
  const items = names.map((stream) => ({ stream, state: ofRun.get(stream)?.state ?? ('pending' as const) }));
  const times = [...ofRun.values()].map((s) => s.at.getTime());
  return {
    run,
    streams: { done: items.filter((i) => i.state === 'done').length, total: items.length, items },
    lastProgressAt: times.length > 0 ? new Date(Math.max(...times)) : null,
  };
}

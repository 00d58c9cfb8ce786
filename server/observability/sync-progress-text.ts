import type { RunProgress, SyncRunView } from './sync-status.ts';

/**
 * The words of `npm run sync:progress`: what its bar shows for a running run, and the line it prints
 * for a finished one.
 */

export type BarState = {
  /** Streams done of total for a full sync; records for a run whose total is not known (then total = 0). */
  value: number;
  total: number;
  payload: { label: string; records: string; stream: string };
};

export function barStateOf(progress: RunProgress): BarState {
  const { run, streams } = progress;
  const label = `${run.kind} sync #${run.id}`;
  const records = `${run.records.toLocaleString('en-US')} records`;
  if (!streams) return { value: run.records, total: 0, payload: { label, records, stream: '' } };
  const current = streams.items.find((i) => i.state === 'running') ?? streams.items.find((i) => i.state === 'pending');
  return {
    value: streams.done,
    total: streams.total,
    payload: { label, records, stream: current ? current.stream.replace(/^full:/, '') : 'finishing' },
  };
}

export function describeRun(run: SyncRunView): string {
  const seconds = run.durationMs === null ? '' : ` in ${(run.durationMs / 1000).toFixed(1)} s`;
  const calls = `${run.apiCalls} API calls, ${run.rateLimited} rate-limited, ${run.errors} errors`;
  const failure = run.status === 'failed' && run.errorMessage ? `: ${run.errorMessage}` : '';
  return `${run.kind} sync #${run.id} ${run.status}${seconds}: ${run.records.toLocaleString('en-US')} records, ${calls}${failure}`;
}

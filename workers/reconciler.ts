import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../server/logging/logger.ts';
import type { ReconcileReport } from '../server/queue/reconcile.ts';

export type Reconciler = {
  /**
   * Runs a reconcile that starts after this call: joins the next one if one is already running (that
   * one may have read Redis before whatever prompted this request). Retries until it succeeds.
   */
  request(): Promise<ReconcileReport>;
  /** No new runs or retries; a run in progress finishes on its own. */
  stop(): void;
};

const MAX_RETRY_DELAY_MS = 30_000;

/** Serialises reconciles: at most one running and one waiting, however many times Redis flaps. */
export function createReconciler(run: () => Promise<ReconcileReport>, log: Logger, retryDelayMs = 500): Reconciler {
  let current: Promise<ReconcileReport> | undefined;
  let next: Promise<ReconcileReport> | undefined;
  const stopper = new AbortController();

  async function runUntilDone(): Promise<ReconcileReport> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (stopper.signal.aborted) throw error;
        const delay = Math.min(retryDelayMs * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
        log.warn({ err: error, attempt, retryInMs: delay }, 'reconcile failed; retrying');
        await sleep(delay, undefined, { signal: stopper.signal });
      }
    }
  }

  function request(): Promise<ReconcileReport> {
    if (stopper.signal.aborted) return Promise.reject(new Error('reconciler stopped'));
    if (!current) {
      current = runUntilDone().finally(() => {
        current = undefined;
      });
      return current;
    }
    next ??= current
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return request();
      });
    return next;
  }

  return { request, stop: () => stopper.abort() };
}

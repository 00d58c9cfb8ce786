import type { SandboxChange } from '../contracts.ts';
import {
  eventsFor,
  resolveSubscriptions,
  type ResolvedSubscription,
  type WebhookEvent,
  type WebhookSubscription,
} from './events.ts';
import { webhookHeaders } from './signature.ts';

/**
 * Delivers SandboxChanges to an app's webhook URL the way HubSpot does: filtered by the app's
 * subscriptions, as HubSpot event objects, batched up to 100 per POST (a JSON array), signed (v1 and
 * v3), and retried with a rising `attemptNumber` after a non-2xx answer, a connection error or no
 * answer within 5 s. See README.md.
 */

export type RetryPolicy = {
  /** Attempts in all, the first one included (default 11: the first and HubSpot's 10 retries). */
  maxAttempts: number;
  /**
   * The wait before attempt `attempt` (1 for the first retry). HubSpot spreads its retries over 24 h;
   * the default compresses that to 1 s, 2 s, 4 s … capped at 60 s, which suits a demo. Tests pass 0.
   */
  delayMs: (attempt: number) => number;
};

export type WebhookDelivererOptions = {
  targetUrl: string;
  clientSecret: string;
  appId: number | string;
  portalId: number | string;
  subscriptions: WebhookSubscription[];
  /** Events per POST; HubSpot sends up to 100. */
  maxBatchSize?: number;
  /** How long events wait for company before a batch leaves (default 0: on the next timer tick). */
  flushDelayMs?: number;
  /** Default true; false leaves sending to flush()/drain(). */
  autoFlush?: boolean;
  /** Requests in flight at once; HubSpot allows 10 per installing account. */
  maxConcurrentRequests?: number;
  /** No answer within this many ms is a failure (HubSpot: 5 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof globalThis.fetch;
  /** Milliseconds since the epoch, for `X-HubSpot-Request-Timestamp` and the log. */
  clock?: () => number;
  /** The first eventId given out (then +1 per event). */
  firstEventId?: number;
  /** The id the first subscription without one gets (then +1). */
  firstSubscriptionId?: number;
  /** Attempts kept in the log (oldest dropped first). */
  logLimit?: number;
};

export type DeliveryAttempt = {
  batchId: number;
  attemptNumber: number;
  /** The HTTP status, or null when no answer came (connection error, timeout). */
  status: number | null;
  ok: boolean;
  error?: string;
  /** The events exactly as sent in this attempt. */
  events: WebhookEvent[];
  /** The request timestamp it was signed with. */
  timestamp: number;
  durationMs: number;
};

export type DelivererCounters = {
  changes: number;
  /** Changes that matched no subscription. */
  ignored: number;
  events: number;
  attempts: number;
  /** Batches answered 2xx. */
  delivered: number;
  /** Failed attempts (each one retried or, at the last attempt, dropped). */
  failures: number;
  /** Batches given up after maxAttempts. */
  dropped: number;
};

export type WebhookDeliverer = {
  /** Takes one change; returns the events it produced (none when no subscription matched). */
  enqueue(change: SandboxChange): WebhookEvent[];
  /** Sends every waiting event now, in batches of at most maxBatchSize. */
  flush(): void;
  /** Flushes, then resolves once nothing is pending, waiting for a retry, or in flight. */
  drain(): Promise<void>;
  /** Stops: drops what waits, cancels retries, aborts requests in flight. */
  close(): Promise<void>;
  log(): DeliveryAttempt[];
  /** Batches given up after their last attempt. */
  dropped(): { batchId: number; events: WebhookEvent[] }[];
  counters(): DelivererCounters;
  subscriptions(): ResolvedSubscription[];
  setSubscriptions(subscriptions: WebhookSubscription[]): void;
  setTargetUrl(targetUrl: string): void;
};

type Batch = { id: number; events: WebhookEvent[]; attempt: number };

const defaultDelay = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 60_000);

function toNumber(name: string, value: number | string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new TypeError(`${name} must be a numeric id, got ${value}`);
  return n;
}

export function createWebhookDeliverer(options: WebhookDelivererOptions): WebhookDeliverer {
  const appId = toNumber('appId', options.appId);
  const portalId = toNumber('portalId', options.portalId);
  const maxBatchSize = options.maxBatchSize ?? 100;
  const flushDelayMs = options.flushDelayMs ?? 0;
  const autoFlush = options.autoFlush ?? true;
  const maxConcurrent = options.maxConcurrentRequests ?? 10;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const retry: RetryPolicy = {
    maxAttempts: options.retry?.maxAttempts ?? 11,
    delayMs: options.retry?.delayMs ?? defaultDelay,
  };
  const doFetch = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? Date.now;
  const logLimit = options.logLimit ?? 10_000;
  const firstSubscriptionId = options.firstSubscriptionId ?? 1;
  if (!(maxBatchSize >= 1)) throw new TypeError('maxBatchSize must be ≥ 1');
  if (!(retry.maxAttempts >= 1)) throw new TypeError('retry.maxAttempts must be ≥ 1');
  new URL(options.targetUrl); // fails early on a bad URL

  let targetUrl = options.targetUrl;
  let subscriptions = resolveSubscriptions(options.subscriptions, firstSubscriptionId);
  let eventId = options.firstEventId ?? 1;
  let batchId = 0;
  let closed = false;

  let pending: WebhookEvent[] = [];
  const ready: Batch[] = [];
  let inFlight = 0;
  const controllers = new Set<AbortController>();
  const sending = new Set<Promise<void>>();
  const retryTimers = new Set<NodeJS.Timeout>();
  let flushTimer: NodeJS.Timeout | undefined;
  let idleWaiters: (() => void)[] = [];

  const attempts: DeliveryAttempt[] = [];
  const droppedBatches: { batchId: number; events: WebhookEvent[] }[] = [];
  const counters: DelivererCounters = {
    changes: 0,
    ignored: 0,
    events: 0,
    attempts: 0,
    delivered: 0,
    failures: 0,
    dropped: 0,
  };

  const ctx = { portalId, appId, nextEventId: () => eventId++ };

  const isIdle = () => pending.length === 0 && ready.length === 0 && inFlight === 0 && retryTimers.size === 0;
  const settle = () => {
    if (!isIdle() && !closed) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const cut = (all: boolean) => {
    while (pending.length >= maxBatchSize || (all && pending.length > 0)) {
      ready.push({ id: ++batchId, events: pending.slice(0, maxBatchSize), attempt: 0 });
      pending = pending.slice(maxBatchSize);
    }
  };

  const record = (entry: DeliveryAttempt) => {
    attempts.push(entry);
    if (attempts.length > logLimit) attempts.splice(0, attempts.length - logLimit);
  };

  const attemptOnce = async (batch: Batch): Promise<boolean> => {
    const events = batch.events.map((e) => ({ ...e, attemptNumber: batch.attempt }));
    const body = JSON.stringify(events);
    const timestamp = clock();
    const controller = new AbortController();
    controllers.add(controller);
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const started = performance.now();
    counters.attempts++;
    let status: number | null = null;
    let error: string | undefined;
    try {
      const response = await doFetch(targetUrl, {
        method: 'POST',
        headers: webhookHeaders(options.clientSecret, targetUrl, body, timestamp),
        body,
        signal: controller.signal,
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = controller.signal.aborted
        ? closed
          ? 'closed'
          : `timeout: ${String((controller.signal.reason as Error)?.message ?? controller.signal.reason)}`
        : `connection: ${describe(e)}`;
    } finally {
      clearTimeout(timer);
      controllers.delete(controller);
    }
    const ok = status !== null && status >= 200 && status < 300;
    record({
      batchId: batch.id,
      attemptNumber: batch.attempt,
      status,
      ok,
      ...(error === undefined ? {} : { error }),
      events,
      timestamp,
      durationMs: Math.round(performance.now() - started),
    });
    return ok;
  };

  const send = (batch: Batch) => {
    inFlight++;
    const run = (async () => {
      const ok = await attemptOnce(batch);
      if (ok) {
        counters.delivered++;
        return;
      }
      counters.failures++;
      if (closed) return;
      const next = batch.attempt + 1;
      if (next >= retry.maxAttempts) {
        counters.dropped++;
        droppedBatches.push({ batchId: batch.id, events: batch.events });
        return;
      }
      const timer = setTimeout(
        () => {
          retryTimers.delete(timer);
          if (closed) return settle();
          ready.push({ ...batch, attempt: next });
          pump();
        },
        Math.max(0, retry.delayMs(next)),
      );
      retryTimers.add(timer);
    })();
    sending.add(run);
    void run.finally(() => {
      sending.delete(run);
      inFlight--;
      pump();
    });
  };

  function pump() {
    while (!closed && ready.length > 0 && inFlight < maxConcurrent) send(ready.shift()!);
    settle();
  }

  const flush = () => {
    if (flushTimer !== undefined) {
      clearTimeout(flushTimer);
      flushTimer = undefined;
    }
    if (closed) return;
    cut(true);
    pump();
  };

  return {
    enqueue(change) {
      if (closed) throw new Error('webhook deliverer is closed');
      counters.changes++;
      const events = eventsFor(change, subscriptions, ctx);
      if (events.length === 0) {
        counters.ignored++;
        return events;
      }
      counters.events += events.length;
      pending.push(...events);
      cut(false);
      pump();
      if (autoFlush && pending.length > 0 && flushTimer === undefined) {
        flushTimer = setTimeout(() => {
          flushTimer = undefined;
          flush();
        }, flushDelayMs);
      }
      return events;
    },
    flush,
    drain() {
      flush();
      if (isIdle() || closed) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      closed = true;
      if (flushTimer !== undefined) clearTimeout(flushTimer);
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      pending = [];
      ready.length = 0;
      for (const controller of controllers) controller.abort(new Error('closed'));
      await Promise.allSettled([...sending]);
      settle();
    },
    log: () => [...attempts],
    dropped: () => [...droppedBatches],
    counters: () => ({ ...counters }),
    subscriptions: () => subscriptions.map((s) => ({ ...s })),
    setSubscriptions(next) {
      subscriptions = resolveSubscriptions(next, firstSubscriptionId);
    },
    setTargetUrl(next) {
      new URL(next);
      targetUrl = next;
    },
  };
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
    return code ?? (cause instanceof Error ? cause.message : e.message);
  }
  return String(e);
}

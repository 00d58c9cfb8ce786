import { AsyncLocalStorage } from 'node:async_hooks';
import { Client } from '@hubspot/api-client';
import { decideRetry } from './retry-policy.ts';
import { HubSpotApiError, toHubSpotError } from './errors.ts';
import type { BudgetClass, RequestBudget } from './request-budget.ts';

/**
 * The one way the app calls HubSpot for a portal: the official SDK for paths and models, wrapped in
 * the app's own policy, because the SDK's limiter is off by default, process-wide, counts retries as
 * attempts and ignores Retry-After. Every HTTP attempt (retries included):
 *   1. takes a slot in the portal's shared budget (search and the rest separately),
 *   2. carries the portal's current access token,
 *   3. is counted, and a 429 pauses every process's calls for the portal;
 * and each call gets a timeout, classified errors, retries with jitter for idempotent calls, and one
 * token refresh after a 401.
 */

export type AccessTokens = {
  /** A token valid for at least a few more minutes (refreshed ahead of expiry). */
  current(portalId: number): Promise<string>;
  /** `refused` got a 401: returns a fresh token (one refresh across all processes), or throws if the portal needs re-auth. */
  afterUnauthorized(portalId: number, refused: string): Promise<string>;
  /** HubSpot still answers 401 with a freshly refreshed token: the install is gone. */
  unauthorizedAfterRefresh?(portalId: number): Promise<void>;
};

export type CallOutcome = 'ok' | 'rate_limited' | 'error';
export type CallCounters = { record(portalId: number, outcome: CallOutcome): void };

export type PortalClientOptions = {
  portalId: number;
  basePath: string;
  tokens: AccessTokens;
  budget: Pick<RequestBudget, 'acquire' | 'pause'>;
  counters?: CallCounters;
  timeoutMs?: number;
  random?: () => number;
};

export type CallOptions = {
  /** Safe to send twice (reads, searches, updates that set values). Creates are not. */
  idempotent: boolean;
};

// The middleware sees only the SDK's request/response contexts; the token of the attempt travels here.
type AttemptContext = { token?: string };

type SdkRequest = { getUrl(): string; setHeaderParam(key: string, value: string): void };
type SdkResponse = { httpStatusCode: number; headers: Record<string, string> };

export class PortalHubSpotClient {
  readonly portalId: number;
  readonly sdk: Client;
  readonly #options: PortalClientOptions;
  readonly #attempt = new AsyncLocalStorage<AttemptContext>();

  constructor(options: PortalClientOptions) {
    this.portalId = options.portalId;
    this.#options = options;
    this.sdk = new Client({
      basePath: options.basePath,
      // 0 would still make one attempt; retries are ours.
      numberOfApiCallRetries: 0,
      middleware: [{ pre: (ctx) => this.#before(ctx as SdkRequest), post: (ctx) => this.#after(ctx as SdkResponse) }],
    });
  }

  /** Runs one SDK call under the app's policy. `op` must make exactly one HTTP request. */
  async call<T>(op: (sdk: Client) => Promise<T>, options: CallOptions): Promise<T> {
    const { portalId, tokens } = this.#options;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const context: AttemptContext = {};
      try {
        return await this.#attempt.run(context, () => this.#withTimeout(() => op(this.sdk)));
      } catch (thrown) {
        const error = toHubSpotError(thrown);
        if (error.kind === 'unauthorized' && !refreshed && context.token !== undefined) {
          refreshed = true;
          await tokens.afterUnauthorized(portalId, context.token);
          continue;
        }
        if (error.kind === 'unauthorized' && refreshed) await tokens.unauthorizedAfterRefresh?.(portalId);
        const decision = decideRetry(error, attempt, options.idempotent, this.#options.random);
        if (!decision.retry) throw error;
        await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
      }
    }
  }

  async #before(request: SdkRequest): Promise<SdkRequest> {
    const { portalId, tokens, budget } = this.#options;
    const token = await tokens.current(portalId);
    const context = this.#attempt.getStore();
    if (context) context.token = token;
    request.setHeaderParam('Authorization', `Bearer ${token}`);
    // The slot is taken last, just before sending: HubSpot measures its window at arrival, so any
    // work between admission and sending (a token read, a refresh) would eat into the guard.
    await budget.acquire(portalId, budgetClassOf(request.getUrl()));
    return request;
  }

  async #after(response: SdkResponse): Promise<SdkResponse> {
    const { portalId, budget, counters } = this.#options;
    const status = response.httpStatusCode;
    counters?.record(portalId, status === 429 ? 'rate_limited' : status >= 400 ? 'error' : 'ok');
    if (status === 429) {
      // Tell every process: the portal is out of room; wait before anyone asks again.
      const interval = Number(response.headers['x-hubspot-ratelimit-interval-milliseconds']) || 10_000;
      const max = Number(response.headers['x-hubspot-ratelimit-max']) || 110;
      await budget.pause(portalId, 'standard', interval / max);
    }
    return response;
  }

  async #withTimeout<T>(run: () => Promise<T>): Promise<T> {
    const timeoutMs = this.#options.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new HubSpotApiError('transient', undefined, undefined, {}, new Error(`no answer in ${timeoutMs} ms`))),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([run(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export function budgetClassOf(url: string): BudgetClass {
  return new URL(url).pathname.endsWith('/search') ? 'search' : 'standard';
}

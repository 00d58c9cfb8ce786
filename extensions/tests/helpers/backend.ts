import type { HubSpotFetch } from '../../lib/card-api.ts';

export const BASE_URL = 'https://closed-loop.example.com';

/** One request a card sent: the path on the backend and the JSON body. */
export type SentRequest = { url: string; path: string; method: string; body: Record<string, unknown> };

/** How the fake backend answers one request: an envelope (HTTP 200), a status, a failure, or never. */
export type Answer =
  | { ok: true; data: unknown }
  | { ok: false; error: { code: string; message: string; field?: string } }
  | { status: number }
  | { transportError: string }
  | 'never';

type Route = (body: Record<string, unknown>, request: SentRequest) => Answer | Promise<Answer>;

/**
 * A fake `hubspot.fetch` in front of a scripted backend: each path answers from its queue of handlers
 * (the last one repeats), and every request is recorded, so a test asserts the exact path and body.
 */
export function fakeBackend() {
  const routes = new Map<string, Route[]>();
  const requests: SentRequest[] = [];

  const fetch: HubSpotFetch = async (url, options) => {
    const parsed = new URL(url);
    const request: SentRequest = {
      url,
      path: parsed.pathname,
      method: options.method,
      body: options.body ?? {},
    };
    requests.push(request);
    const queue = routes.get(request.path);
    if (!queue || queue.length === 0) throw new Error(`no answer scripted for ${request.path}`);
    const route = queue.length > 1 ? queue.shift()! : queue[0]!;
    const answer = await route(request.body, request);
    if (answer === 'never') return new Promise<never>(() => {});
    if ('transportError' in answer) throw new Error(answer.transportError);
    if ('status' in answer) return { ok: answer.status < 300, status: answer.status, json: async () => ({}) };
    return { ok: true, status: 200, json: async () => JSON.parse(JSON.stringify(answer)) as unknown };
  };

  return {
    fetch,
    requests,
    /** Adds handlers for `path`, answered in order; the last one answers every later request. */
    on(path: string, ...handlers: (Route | Answer)[]) {
      const queue = routes.get(path) ?? [];
      for (const handler of handlers) queue.push(typeof handler === 'function' ? handler : () => handler);
      routes.set(path, queue);
      return this;
    },
    /** The requests sent to one path. */
    sentTo(path: string): SentRequest[] {
      return requests.filter((r) => r.path === path);
    },
  };
}

export const data = (value: unknown): Answer => ({ ok: true, data: value });
export const refused = (message: string, code = 'refused'): Answer => ({ ok: false, error: { code, message } });

/** A promise and the function that settles it, to hold an answer back until the test says so. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * How every card talks to the Closed Loop backend. HubSpot's proxy (`hubspot.fetch`) signs the request,
 * accepts JSON bodies only and no custom headers, and turns any answer ≥ 300 into a proxy error, so
 * the backend answers 2xx with either `{ ok: true, data }` or `{ ok: false, error: { message } }` and
 * this module turns both, and transport failures, into one result type the card can render.
 */

/** `code` is the backend's error code when it sent one (`refused`, `not_found`, `forbidden`…). */
export type CardApiResult<T> = { ok: true; data: T } | { ok: false; message: string; code?: string };

/** The subset of `hubspot.fetch` the cards use; injected so tests need no HubSpot runtime. */
export type HubSpotFetch = (
  url: string,
  options: { method: 'GET' | 'POST'; body?: Record<string, unknown>; timeout?: number },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** Checks that a decoded `data` payload has the shape the card expects; returns it typed, or undefined. */
export type Decoder<T> = (value: unknown) => T | undefined;

const TIMEOUT_MS = 15_000;

export async function callCardApi<T>(
  fetchImpl: HubSpotFetch,
  baseUrl: string,
  path: string,
  body: Record<string, unknown>,
  decode: Decoder<T>,
): Promise<CardApiResult<T>> {
  let response: Awaited<ReturnType<HubSpotFetch>>;
  try {
    response = await fetchImpl(new URL(path, baseUrl).toString(), { method: 'POST', body, timeout: TIMEOUT_MS });
  } catch {
    return { ok: false, message: 'Closed Loop could not be reached. Try again in a moment.' };
  }
  if (!response.ok) return { ok: false, message: `Closed Loop answered with an error (HTTP ${response.status}).` };
  let envelope: unknown;
  try {
    envelope = await response.json();
  } catch {
    return { ok: false, message: 'Closed Loop sent an answer this card could not read.' };
  }
  if (
    isObject(envelope) &&
    envelope.ok === false &&
    isObject(envelope.error) &&
    typeof envelope.error.message === 'string'
  ) {
    const { message, code } = envelope.error;
    return { ok: false, message, ...(typeof code === 'string' ? { code } : {}) };
  }
  if (isObject(envelope) && envelope.ok === true) {
    const data = decode(envelope.data);
    if (data !== undefined) return { ok: true, data };
  }
  return { ok: false, message: 'Closed Loop sent an answer this card could not read.' };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

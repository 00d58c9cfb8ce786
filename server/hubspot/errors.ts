/**
 * What went wrong with a HubSpot call, in the kinds the workers act on:
 * - `rate_limited`: wait (the budget is paused) and retry;
 * - `unauthorized`: refresh the token once and retry; if it persists, the portal needs re-auth;
 * - `forbidden`: a scope is missing; retrying can't help;
 * - `not_found`: the record is gone; the caller decides (usually: mark it archived);
 * - `validation` / `conflict`: our request is wrong; never retried, reported with HubSpot's message;
 * - `transient`: 5xx, 423, 477, timeouts, dropped connections, unreadable bodies; retried with backoff.
 */
export type HubSpotErrorKind =
  'rate_limited' | 'unauthorized' | 'forbidden' | 'not_found' | 'validation' | 'conflict' | 'transient';

export class HubSpotApiError extends Error {
  readonly kind: HubSpotErrorKind;
  readonly status: number | undefined;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(
    kind: HubSpotErrorKind,
    status: number | undefined,
    body: unknown,
    headers: Record<string, string>,
    cause?: unknown,
  ) {
    super(describe(kind, status, body), { cause });
    this.name = 'HubSpotApiError';
    this.kind = kind;
    this.status = status;
    this.body = body;
    this.headers = headers;
  }

  /** HubSpot's correlation id, to quote when asking HubSpot support about a failure. */
  get correlationId(): string | undefined {
    return isRecord(this.body) && typeof this.body.correlationId === 'string' ? this.body.correlationId : undefined;
  }
}

export function kindOfStatus(status: number): HubSpotErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  // 423 Locked (2 s locks), 477 Migration in Progress, and every 5xx (incl. 524) pass with time.
  if (status === 423 || status === 477 || status >= 500) return 'transient';
  return 'validation';
}

/**
 * Turns whatever a call threw into a HubSpotApiError. The SDK throws `ApiException`
 * (`code`, `body`, `headers`) for HTTP errors, a SyntaxError for an unreadable body, and fetch's
 * TypeError for a dropped connection.
 */
export function toHubSpotError(error: unknown): HubSpotApiError {
  if (error instanceof HubSpotApiError) return error;
  if (isRecord(error) && typeof error.code === 'number' && error.code >= 400) {
    const headers = normaliseHeaders(error.headers);
    return new HubSpotApiError(kindOfStatus(error.code), error.code, parseBody(error.body), headers, error);
  }
  return new HubSpotApiError('transient', undefined, undefined, {}, error);
}

function describe(kind: HubSpotErrorKind, status: number | undefined, body: unknown): string {
  const message = isRecord(body) && typeof body.message === 'string' ? body.message : undefined;
  return `HubSpot ${status ?? 'request failed'} (${kind})${message ? `: ${message}` : ''}`;
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function normaliseHeaders(headers: unknown): Record<string, string> {
  if (!isRecord(headers)) return {};
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

import { randomUUID } from 'node:crypto';

/**
 * HubSpot's error bodies. The public API answers `{status:"error", message, correlationId, category, …}`;
 * the OAuth token endpoint answers its own shape (see oauth/errors.ts). Every thrown HubSpotError is
 * turned into its body by the app's error handler.
 */
export type ErrorDetail = { message: string; code?: string; in?: string; context?: Record<string, string[]> };

export type HubSpotErrorBody = {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: ErrorDetail[];
  links?: Record<string, string>;
};

export class HubSpotError extends Error {
  readonly httpStatus: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(httpStatus: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${httpStatus}`);
    this.name = 'HubSpotError';
    this.httpStatus = httpStatus;
    this.body = body;
    this.headers = headers;
  }
}

export const correlationId = (): string => randomUUID();

export function errorBody(
  category: string,
  message: string,
  extra: Partial<Omit<HubSpotErrorBody, 'status' | 'message' | 'category' | 'correlationId'>> = {},
): HubSpotErrorBody {
  return { status: 'error', message, correlationId: correlationId(), category, ...extra };
}

export const validationError = (message: string, extra: Parameters<typeof errorBody>[2] = {}): HubSpotError =>
  new HubSpotError(400, errorBody('VALIDATION_ERROR', message, extra));

export const notFound = (message = 'resource not found'): HubSpotError =>
  new HubSpotError(404, errorBody('OBJECT_NOT_FOUND', message));

/** 401 for a missing or unknown bearer token, as HubSpot words it. */
export const invalidAuthentication = (): HubSpotError =>
  new HubSpotError(
    401,
    errorBody(
      'INVALID_AUTHENTICATION',
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    ),
  );

/** "expired 0 second(s) ago", "expired 5 hour(s) ago": HubSpot rounds down to the largest whole unit. */
export function expiredAgo(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} second(s)`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} minute(s)`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} hour(s)`;
  return `${Math.floor(hours / 24)} day(s)`;
}

export const expiredAuthentication = (expiredAt: number, now: number): HubSpotError =>
  new HubSpotError(
    401,
    errorBody(
      'EXPIRED_AUTHENTICATION',
      `The OAuth token used to make this call expired ${expiredAgo(now - expiredAt)} ago.`,
      {
        context: { 'expire time': [new Date(expiredAt).toISOString()] },
      },
    ),
  );

export const missingScopes = (required: string[]): HubSpotError =>
  new HubSpotError(
    403,
    errorBody(
      'MISSING_SCOPES',
      "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
      {
        errors: [
          {
            message: 'One or more of the following scopes are required.',
            context: { requiredGranularScopes: required },
          },
        ],
        links: { scopes: 'https://developers.hubspot.com/scopes' },
      },
    ),
  );

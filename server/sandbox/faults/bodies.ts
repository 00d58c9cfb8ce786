import { randomUUID } from 'node:crypto';

/** HubSpot's JSON content type, as its API sends it (no space before `charset`). */
export const HUBSPOT_JSON = 'application/json;charset=utf-8';

/**
 * HubSpot's error body: `{status:"error", message, correlationId, category}`. The shape is the one every
 * HubSpot v3 error uses; the message and category per status below are the sandbox's best guesses
 * (only the 423 text was seen quoted, and 5xx answers vary), so a rule can override both.
 */
export type HubSpotErrorBody = { status: 'error'; message: string; correlationId: string; category: string };

const DEFAULTS: Record<number, { message: string; category: string }> = {
  423: {
    message: 'Attempting to sync large volume too quickly; system lock for ~2 seconds',
    category: 'LOCKED',
  },
  477: { message: 'Migration in progress', category: 'MIGRATION_IN_PROGRESS' },
  500: { message: 'internal error', category: 'INTERNAL_ERROR' },
  502: { message: 'Bad Gateway', category: 'BAD_GATEWAY' },
  503: { message: 'Service Unavailable', category: 'SERVICE_UNAVAILABLE' },
  504: { message: 'Gateway Timeout', category: 'GATEWAY_TIMEOUT' },
};

export function errorBody(status: number, over: { message?: string; category?: string } = {}): HubSpotErrorBody {
  const fallback = DEFAULTS[status] ?? { message: 'error', category: status >= 500 ? 'INTERNAL_ERROR' : 'ERROR' };
  return {
    status: 'error',
    message: over.message ?? fallback.message,
    correlationId: randomUUID(),
    category: over.category ?? fallback.category,
  };
}

/** The edge's HTML page, which is what a real 502/503/504 from HubSpot's front often is. */
export function htmlErrorPage(status: number, reason: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

const RATE_MESSAGES: Record<RateLimitPolicy, string> = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
};
const RATE_GROUPS: Record<RateLimitPolicy, string> = {
  TEN_SECONDLY_ROLLING: 'oauth-api-calls-ten-secondly',
  SECONDLY: 'oauth-api-calls-secondly',
  DAILY: 'oauth-api-calls-daily',
};

/** HubSpot's 429 body (same as the budget's; kept here because sandbox modules share no code). */
export function rateLimitBody(policy: RateLimitPolicy, portalId?: string, appId?: string) {
  return {
    status: 'error',
    message: RATE_MESSAGES[policy],
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: policy,
    ...(portalId === undefined
      ? {}
      : { groupName: `publicapi:${RATE_GROUPS[policy]}:${appId === undefined ? '' : `${appId}:`}${portalId}` }),
  };
}

import { randomUUID } from 'node:crypto';

/**
 * HubSpot's 429 bodies. Field names, order and messages follow captured answers:
 * - ten-secondly: `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT",
 *   "correlationId":"…","policyName":"TEN_SECONDLY_ROLLING","groupName":"publicapi:hapikey-api-calls-ten-secondly:6748263"}`
 *   (HubSpot/hubspot-api-python#117); a private app's group reads `publicapi:private_app-api-calls-ten-secondly:<app>:<portal>`.
 * - secondly (CRM search): `{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT",
 *   "correlationId":"…","groupName":"publicapi:hapikey-secondly:2431623","policyName":"SECONDLY","requestId":"…"}`
 *   (HGData/mk-node-hubspot#84, #89). The SDK retries a search 429 on this exact message.
 * The OAuth group names below are extrapolated from those two patterns: no captured OAuth group name was found.
 */
export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

export type RateLimitBody = {
  status: 'error';
  message: string;
  errorType: 'RATE_LIMIT';
  correlationId: string;
  policyName: RateLimitPolicy;
  groupName?: string;
};

const MESSAGES: Record<RateLimitPolicy, string> = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
};

const GROUPS: Record<RateLimitPolicy, string> = {
  TEN_SECONDLY_ROLLING: 'oauth-api-calls-ten-secondly',
  SECONDLY: 'oauth-api-calls-secondly',
  DAILY: 'oauth-api-calls-daily',
};

export function groupNameFor(policy: RateLimitPolicy, portalId?: string, appId?: string): string | undefined {
  if (portalId === undefined) return undefined;
  return `publicapi:${GROUPS[policy]}:${appId === undefined ? '' : `${appId}:`}${portalId}`;
}

export function rateLimitBody(
  policy: RateLimitPolicy,
  options: { portalId?: string; appId?: string; correlationId?: string } = {},
): RateLimitBody {
  const body: RateLimitBody = {
    status: 'error',
    message: MESSAGES[policy],
    errorType: 'RATE_LIMIT',
    correlationId: options.correlationId ?? randomUUID(),
    policyName: policy,
  };
  const groupName = groupNameFor(policy, options.portalId, options.appId);
  if (groupName !== undefined) body.groupName = groupName;
  return body;
}

/** HubSpot's JSON content type, as its API sends it (no space before `charset`). */
export const HUBSPOT_JSON = 'application/json;charset=utf-8';

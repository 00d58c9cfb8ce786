import { stdSerializers } from 'pino';

/**
 * Blanks secrets out of anything about to be logged, however deep: pino's path redaction only reaches
 * the paths it is given, and an error from an HTTP client can carry a response body with tokens or a
 * request's headers several levels down. Keys that name a secret lose their value; strings that hold
 * one (a bearer token, an ingest API key, a URL's password) are masked wherever they appear.
 */

export const CENSOR = '[redacted]';

/** Keys whose value is a secret, whatever the casing. */
const SECRET_KEYS = new Set(
  [
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'password',
    'passwd',
    'secret',
    'token',
    'apikey',
    'api_key',
    'api-key',
    'clientsecret',
    'client_secret',
    'accesstoken',
    'access_token',
    'refreshtoken',
    'refresh_token',
    'idtoken',
    'id_token',
    'x-hubspot-signature',
    'x-hubspot-signature-v3',
  ].map((k) => k.toLowerCase()),
);
/** Environment-style names of secrets: OPERATOR_API_TOKEN, HUBSPOT_CLIENT_SECRET, TOKEN_ENCRYPTION_KEYS… */
const SECRET_ENV_NAME = /^[A-Z0-9_]+_(?:TOKEN|SECRET|KEYS?|PASSWORD)$/;

const SECRET_VALUES: [RegExp, string][] = [
  [/\bBearer\s+[^\s"',]+/gi, `Bearer ${CENSOR}`],
  [/\bclk_[a-f0-9]{16}_[A-Za-z0-9_-]+/g, `clk_${CENSOR}`],
  // scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi, `$1${CENSOR}@`],
];

/** Deeper than this, values are replaced rather than walked (log objects are never legitimately this deep). */
const MAX_DEPTH = 12;

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase()) || SECRET_ENV_NAME.test(key);
}

export function scrubString(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_VALUES) result = result.replace(pattern, replacement);
  return result;
}

/** A copy of `value` without secrets; errors become pino's serialized form (type, message, stack, fields). */
export function scrubSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return scrubSecrets({ ...stdSerializers.err(value) }, depth, seen);
  if (Buffer.isBuffer(value) || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((item) => scrubSecrets(item, depth + 1, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isSecretKey(key) && item !== undefined && item !== null ? CENSOR : scrubSecrets(item, depth + 1, seen);
  }
  return copy;
}

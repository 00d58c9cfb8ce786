import pino from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log object. Tokens, secrets and keys must never
 * reach a log line, even when someone logs a whole config or request by mistake.
 */
const REDACT = [
  '*.access_token',
  '*.refresh_token',
  '*.accessToken',
  '*.refreshToken',
  '*.client_secret',
  '*.clientSecret',
  '*.authorization',
  '*.Authorization',
  '*.HUBSPOT_CLIENT_SECRET',
  '*.TOKEN_ENCRYPTION_KEYS',
  'headers.authorization',
  'req.headers.authorization',
  'env.HUBSPOT_CLIENT_SECRET',
  'env.TOKEN_ENCRYPTION_KEYS',
];

export type Logger = pino.Logger;

/** The process logger: JSON lines; child loggers carry `portalId` and `jobId` so every line can be traced. */
export function createLogger(options: { level: string; name: string }): Logger {
  return pino({ level: options.level, name: options.name, redact: { paths: REDACT, censor: '[redacted]' } });
}

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../server/config/env.ts';
import { HubSpotApiError } from '../../../server/hubspot/errors.ts';
import { createLogger } from '../../../server/logging/logger.ts';

/** A logger whose lines are kept, parsed, as pino wrote them. */
function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger({ level: 'debug', name: 'test', destination });
  return { log, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const SECRETS = {
  accessToken: 'CNa1-access-token-value',
  refreshToken: 'na1-refresh-token-value',
  clientSecret: 'client-secret-value-0123456789',
  operator: 'operator-token-value-0123456789',
  metrics: 'metrics-token-value-0123456789',
  ingestKey: `clk_0123456789abcdef_${'s'.repeat(43)}`,
  dbPassword: 'db-password-value',
  encryptionKey: Buffer.alloc(32, 7).toString('base64'),
};

describe('the logger', () => {
  it('never writes a token, secret or key, wherever it sits in what is logged', () => {
    const { log, lines } = capturingLogger();
    const env = parseEnv({
      HUBSPOT_CLIENT_SECRET: SECRETS.clientSecret,
      OPERATOR_API_TOKEN: SECRETS.operator,
      METRICS_TOKEN: SECRETS.metrics,
      DATABASE_URL: `postgres://app:${SECRETS.dbPassword}@db.example:5432/closed_loop`,
      TOKEN_ENCRYPTION_KEYS: `k1:${SECRETS.encryptionKey}`,
    });
    // Someone logs the whole config.
    log.info({ env }, 'starting');
    // HubSpot's token endpoint answer, at the top and deep inside.
    log.info({ access_token: SECRETS.accessToken, refresh_token: SECRETS.refreshToken }, 'tokens');
    log.debug({ outcome: { portal: { tokens: { accessToken: SECRETS.accessToken } } } }, 'deep');
    // An API error whose body echoes a token and whose request had an Authorization header.
    const failure = new HubSpotApiError('validation', 400, { access_token: SECRETS.accessToken }, {});
    Object.assign(failure, { request: { headers: { Authorization: `Bearer ${SECRETS.accessToken}` } } });
    log.warn({ err: failure }, 'HubSpot refused');
    log.error({ failures: [new Error(`ingest key ${SECRETS.ingestKey} refused`)] }, 'nested error');
    // An incoming request's headers, an ingest key in a message field, and child bindings.
    log.warn({ headers: { authorization: `Bearer ${SECRETS.operator}`, cookie: 'session=abc' } }, 'request');
    log.child({ apiKey: SECRETS.ingestKey }).info({ note: `called with Bearer ${SECRETS.metrics}` }, 'child');

    expect(lines).toHaveLength(7);
    const output = lines.join('\n');
    for (const [name, secret] of Object.entries(SECRETS)) expect(output, name).not.toContain(secret);
    expect(output).not.toContain('session=abc');
  });

  it('keeps everything else readable: ids, counts, error messages and types', () => {
    const { log, records } = capturingLogger();
    log
      .child({ portalId: 42, jobId: 'sync.full/42/install' })
      .warn(
        { err: new HubSpotApiError('rate_limited', 429, { message: 'Too many requests' }, {}), calls: 3 },
        'attempt failed',
      );
    const [line] = records();
    expect(line).toMatchObject({
      portalId: 42,
      jobId: 'sync.full/42/install',
      calls: 3,
      msg: 'attempt failed',
      err: { type: 'HubSpotApiError', message: 'HubSpot 429 (rate_limited): Too many requests', kind: 'rate_limited' },
    });
    expect(String((line!.err as { stack: string }).stack)).toContain('HubSpotApiError');
  });
});

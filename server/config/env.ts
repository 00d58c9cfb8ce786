import { z } from 'zod';

/**
 * The whole environment of the app, parsed once at start by the server, the workers and the CLIs.
 * Local defaults point at the services these machines run; secrets get a development default only
 * outside production, so a production process without them refuses to start.
 */

const DEV_CLIENT_SECRET = 'dev-only-client-secret-0000000000000000';
// "dev-only-token-key-32-bytes-long" in base64: exercises encryption locally, useless as a real key.
const DEV_TOKEN_KEY = 'dev:ZGV2LW9ubHktdG9rZW4ta2V5LTMyLWJ5dGVzLWxvbmc=';

const portNumber = z.coerce.number().int().min(1).max(65_535);

/**
 * `keyId:base64Key[,keyId:base64Key…]`: the first key encrypts, all of them decrypt, so a key can be
 * rotated by putting the new one first and keeping the old one until every token was re-encrypted.
 */
const encryptionKeys = z.string().transform((raw, ctx) => {
  const keys: { id: string; key: Buffer }[] = [];
  for (const [index, part] of raw.split(',').entries()) {
    const [id, b64, ...rest] = part.trim().split(':');
    const key = b64 === undefined ? undefined : Buffer.from(b64, 'base64');
    if (!id || !key || rest.length > 0 || key.length !== 32 || !/^[A-Za-z0-9_-]+$/.test(id)) {
      ctx.addIssue({
        code: 'custom',
        message: `entry ${index} must be "keyId:<base64 of exactly 32 bytes>" (keyId: letters, digits, _ or -)`,
      });
      return z.NEVER;
    }
    keys.push({ id, key });
  }
  return keys;
});

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PORT: portNumber.default(3000),
    PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
    DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/closed_loop'),
    REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
    /** Every Redis key of the app starts with it (queues, budgets, locks), so apps can share a Redis. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_:-]+$/, 'may hold letters, digits, _, - and :')
      .default('cl'),
    HUBSPOT_APP_ID: z.string().regex(/^\d+$/, 'is a number (HubSpot app ids are numeric)').default('1000001'),
    HUBSPOT_CLIENT_ID: z.string().min(1).default('closed-loop-dev-client'),
    HUBSPOT_CLIENT_SECRET: z.string().min(16).optional(),
    HUBSPOT_API_BASE_URL: z.url().default('https://api.hubapi.com'),
    HUBSPOT_AUTHORIZE_URL: z.url().default('https://app.hubspot.com/oauth/authorize'),
    TOKEN_ENCRYPTION_KEYS: encryptionKeys.optional(),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    /** Bearer token of the operator API (portal deletion on request); the API is off without it. */
    OPERATOR_API_TOKEN: z.string().min(24).optional(),
    /**
     * Signs the admin page's entry links and login state. Unset: derived from HUBSPOT_CLIENT_SECRET
     * (server/admin/admin-keys.ts), so it is never weaker than that secret; set it to rotate apart.
     */
    ADMIN_SECRET: z.string().min(32).optional(),
    /** Bearer token of `GET /metrics` (Prometheus); the endpoint is off without it. */
    METRICS_TOKEN: z.string().min(24).optional(),
    /** Ingest API requests a key may make per minute. */
    INGEST_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    /** How long a portal that stopped answering (needs re-auth) keeps its data before deletion. */
    UNINSTALL_GRACE_HOURS: z.coerce.number().min(0).default(72),
  })
  .transform((env, ctx) => {
    const production = env.NODE_ENV === 'production';
    if (production && env.HUBSPOT_CLIENT_SECRET === undefined) {
      ctx.addIssue({ code: 'custom', path: ['HUBSPOT_CLIENT_SECRET'], message: 'is required in production' });
    }
    if (production && env.TOKEN_ENCRYPTION_KEYS === undefined) {
      ctx.addIssue({ code: 'custom', path: ['TOKEN_ENCRYPTION_KEYS'], message: 'is required in production' });
    }
    return {
      ...env,
      HUBSPOT_CLIENT_SECRET: env.HUBSPOT_CLIENT_SECRET ?? DEV_CLIENT_SECRET,
      TOKEN_ENCRYPTION_KEYS: env.TOKEN_ENCRYPTION_KEYS ?? encryptionKeys.parse(DEV_TOKEN_KEY),
    };
  });

export type Env = z.output<typeof EnvSchema>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses an environment; throws a ConfigError naming every bad or missing variable at once. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset" so `FOO= npm run demo` falls back to the default instead of failing.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`));
  }
  return result.data;
}

let cached: Env | undefined;

/** The process environment, parsed on first use. Entrypoints call this once; libraries take an Env argument. */
export function loadEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

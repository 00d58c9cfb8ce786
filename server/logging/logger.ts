import pino from 'pino';
import { scrubSecrets } from './scrub-secrets.ts';

export type Logger = pino.Logger;

/**
 * The process logger: JSON lines; child loggers carry `portalId` and `jobId` so every line can be traced.
 * Tokens, secrets and keys never reach a line, even when someone logs a whole config, request or error
 * by mistake: every object logged, child bindings included, goes through `scrubSecrets`.
 * `destination`: where lines go (stdout by default; tests read them).
 */
export function createLogger(options: { level: string; name: string; destination?: pino.DestinationStream }): Logger {
  const logger = pino(
    {
      level: options.level,
      name: options.name,
      serializers: { err: (error: unknown) => scrubSecrets(error) },
      formatters: {
        // `err` is left to its serializer above (pino would serialize an already plain object again).
        log: ({ err, ...rest }) => ({
          ...(scrubSecrets(rest) as Record<string, unknown>),
          ...(err === undefined ? {} : { err }),
        }),
      },
    },
    options.destination,
  );
  // pino writes a child's bindings without the formatters, so they are scrubbed on the way in; children
  // inherit this `child` from the root, so their own children are covered too.
  const child = logger.child;
  logger.child = function <L extends string = never>(
    this: Logger,
    bindings: pino.Bindings,
    childOptions?: pino.ChildLoggerOptions<L>,
  ): pino.Logger<L> {
    return Reflect.apply(child, this, [scrubSecrets(bindings), childOptions]) as pino.Logger<L>;
  };
  return logger;
}

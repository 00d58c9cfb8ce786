// The worker process: `npm run workers`. Runs the jobs of every processor in processors/registry.ts
// until SIGTERM or SIGINT, then shuts down gracefully and exits 0.
import { loadEnv } from '../server/config/env.ts';
import { createLogger } from '../server/logging/logger.ts';
import { createAppContext } from '../server/context.ts';
import { createProcessors } from './processors/registry.ts';
import { startWorkers } from './start-workers.ts';

/** Resolves on the first SIGTERM/SIGINT. A second one gets Node's default (immediate exit). */
function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve(signal));
  });
}

const env = loadEnv();
const log = createLogger({ level: env.LOG_LEVEL, name: 'workers' });
const signalled = shutdownSignal();
const app = createAppContext(env, { name: 'workers' });
const running = startWorkers({ env, processors: createProcessors(app), log });
const signal = await signalled;
log.info({ signal }, 'shutdown requested');
const { drained } = await running.stop();
await app.close();
log.info({ drained }, 'exiting');
process.exit(0);

// A worker process for the kill test: the real BullMQ worker (workers/start-workers.ts) running the real
// `sync.full` processor over the app's context built from the environment, as `npm run workers` would,
// but with short job locks (LOCK_MS) so a job whose worker was SIGKILLed comes back within seconds
// rather than BullMQ's default 30, and room for as many interruptions as the test makes.
import { parseEnv } from '../../../server/config/env.ts';
import { createAppContext } from '../../../server/context.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { syncFullProcessor } from '../../../workers/processors/sync-full.ts';
import { startWorkers } from '../../../workers/start-workers.ts';

const env = parseEnv(process.env);
const lockMs = Number(process.env.LOCK_MS ?? 2_000);
const app = createAppContext(env, { name: 'sync-worker' });
const running = startWorkers({
  env,
  processors: [syncFullProcessor({ clientFor: app.clientFor, counters: app.counters })],
  log: createLogger({ level: env.LOG_LEVEL, name: 'sync-worker' }),
  tuning: { lockDuration: lockMs, stalledInterval: lockMs / 2, maxStalledCount: 100 },
});
await running.ready;
console.log(JSON.stringify({ ready: true, pid: process.pid }));
process.once('SIGTERM', () => {
  void running
    .stop()
    .then(() => app.close())
    .then(() => process.exit(0));
});

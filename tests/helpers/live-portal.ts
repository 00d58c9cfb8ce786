import { expect } from 'vitest';
import { createLogger } from '../../server/logging/logger.ts';
import { startSandbox, type Sandbox } from '../../server/sandbox/server.ts';
import { APP_WEBHOOK_SUBSCRIPTIONS } from '../../server/webhooks/subscriptions.ts';
import { createProcessors } from '../../workers/processors/registry.ts';
import { startWorkers, type RunningWorkers } from '../../workers/start-workers.ts';
import { browse, startApp, type AppUnderTest } from './app-under-test.ts';

export type LivePortal = {
  sandbox: Sandbox;
  app: AppUnderTest;
  workers: RunningWorkers;
  close(): Promise<void>;
};

/**
 * The whole app running against a sandbox portal as in production: the server, workers with every
 * processor, HubSpot's webhooks (every subscription the app declares) delivered to the server, and the
 * app installed over OAuth, which queues the first full sync. `only` names the jobs the workers run
 * (default: all); the others wait in Redis, for a test that runs those steps itself.
 */
export async function startLivePortal(
  databaseUrl: string,
  fixture: string,
  options: { only?: readonly string[] } = {},
): Promise<LivePortal> {
  const sandbox = await startSandbox({
    fixture,
    webhooks: {
      // Replaced below, once the app's port is known.
      targetUrl: 'http://127.0.0.1:9/',
      subscriptions: [...APP_WEBHOOK_SUBSCRIPTIONS],
      retry: { maxAttempts: 3, delayMs: () => 50 },
    },
  });
  const app = await startApp({ databaseUrl, hubspotUrl: sandbox.url });
  sandbox.plugins.webhooks()!.setTargetUrl(`${app.url}/webhooks/hubspot`);
  const processors = createProcessors(app.context).filter(
    (entry) => !options.only || options.only.includes(entry.definition.name),
  );
  const workers = startWorkers({
    env: app.env,
    processors,
    log: createLogger({ level: 'silent', name: 'test' }),
  });
  expect((await browse(`${app.url}/oauth/install`)).at(-1)!.status).toBe(200);
  return {
    sandbox,
    app,
    workers,
    close: async () => {
      await workers.stop();
      await app.close();
      await sandbox.close();
    },
  };
}

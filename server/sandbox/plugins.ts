import { Router, type RequestHandler } from 'express';
import type { Clock } from './clock.ts';
import { validationError } from './errors.ts';
import { createFaults, type FaultRule, type Faults, type FaultsOptions } from './faults/index.ts';
import { createRequestBudget, type RequestBudget, type RequestBudgetSettings } from './limits/index.ts';
import { objectBody } from './routes/params.ts';
import type { PortalStore } from './store.ts';
import {
  createWebhookDeliverer,
  type WebhookDeliverer,
  type WebhookDelivererOptions,
  type WebhookSubscription,
} from './webhooks/index.ts';

/**
 * The request budget, fault switches and webhook deliverer (built in limits/, faults/ and webhooks/),
 * wired into one sandbox with their /__sandbox/<name> controls. Defaults keep them out of the way: the
 * budget is installed but generous (a test or the demo tightens it to HubSpot's 110/10 s with
 * `budget: 'hubspot'` or at run time), faults have no rules, webhooks deliver nothing until given a
 * target URL and subscriptions.
 */
export type PluginOptions = {
  /** `'hubspot'`: HubSpot's limits; settings: those; omitted: generous (never in the way). */
  budget?: 'hubspot' | Partial<RequestBudgetSettings>;
  faults?: Pick<FaultsOptions, 'seed' | 'rules'>;
  webhooks?: Omit<WebhookDelivererOptions, 'clientSecret' | 'appId' | 'portalId'> & { clientSecret?: string };
};

export const GENEROUS_BUDGET: RequestBudgetSettings = {
  perWindow: 1_000_000,
  windowMs: 10_000,
  searchPerSecond: 1_000_000,
  countRejected: false,
};

export type Plugins = {
  budget: RequestBudget;
  faults: Faults;
  /** Present once configured (at start or through PUT /__sandbox/webhooks). */
  webhooks(): WebhookDeliverer | undefined;
  middlewares: { budget: RequestHandler; faults: RequestHandler };
  controls: Record<string, Router>;
  close(): Promise<void>;
};

export function createPlugins(
  store: PortalStore,
  clock: Clock,
  app: { appId: number; clientSecret: string },
  options: PluginOptions,
): Plugins {
  const budget = createRequestBudget({
    ...(options.budget === 'hubspot' ? {} : { ...GENEROUS_BUDGET, ...(options.budget ?? {}) }),
    clock: () => clock.now(),
    appId: app.appId,
  });
  const faults = createFaults({ ...(options.faults ?? {}), appId: app.appId });
  let deliverer: WebhookDeliverer | undefined;
  const startWebhooks = (o: NonNullable<PluginOptions['webhooks']>) => {
    deliverer = createWebhookDeliverer({
      clientSecret: app.clientSecret,
      appId: app.appId,
      portalId: store.portalId,
      ...o,
    });
  };
  if (options.webhooks) startWebhooks(options.webhooks);
  store.onChange((change) => deliverer?.enqueue(change));

  return {
    budget,
    faults,
    webhooks: () => deliverer,
    middlewares: { budget: budget.middleware, faults: faults.middleware },
    controls: {
      budget: budgetControl(budget),
      faults: faultControl(faults),
      webhooks: webhookControl(
        () => deliverer,
        (o) => {
          if (deliverer) {
            if (o.targetUrl) deliverer.setTargetUrl(o.targetUrl);
            if (o.subscriptions) deliverer.setSubscriptions(o.subscriptions);
          } else {
            if (!o.targetUrl || !o.subscriptions)
              throw validationError('targetUrl and subscriptions are required to start webhooks');
            startWebhooks({
              targetUrl: o.targetUrl,
              subscriptions: o.subscriptions,
              ...(o.retryDelayMs === undefined ? {} : { retry: { delayMs: () => o.retryDelayMs! } }),
            });
          }
        },
      ),
    },
    close: async () => {
      faults.close();
      await deliverer?.close();
    },
  };
}

function budgetControl(budget: RequestBudget): Router {
  const router = Router();
  router.get('/', (_req, res) => res.json({ settings: budget.settings(), counters: budget.counters() }));
  router.put('/', (req, res) =>
    res.json({ settings: budget.configure(objectBody(req.body) as Partial<RequestBudgetSettings>) }),
  );
  router.post('/hubspot', (_req, res) =>
    res.json({ settings: budget.configure({ perWindow: 110, windowMs: 10_000, searchPerSecond: 5 }) }),
  );
  router.delete('/', (_req, res) => {
    budget.reset();
    res.status(204).end();
  });
  return router;
}

/** Rules as JSON: `pathPattern` (a regular expression source) becomes `path: RegExp`. */
function ruleFromJson(raw: unknown): FaultRule {
  const { pathPattern, ...rule } = objectBody(raw) as FaultRule & { pathPattern?: string };
  return { ...rule, ...(typeof pathPattern === 'string' ? { path: new RegExp(pathPattern) } : {}) };
}

function faultControl(faults: Faults): Router {
  const router = Router();
  const view = () => ({
    rules: faults
      .rules()
      .map((r) => ({ ...r, ...(r.path instanceof RegExp ? { path: undefined, pathPattern: r.path.source } : {}) })),
    counters: faults.counters(),
  });
  router.get('/', (_req, res) => res.json(view()));
  router.put('/', (req, res) => {
    const body = objectBody(req.body);
    if (typeof body.seed === 'number') faults.reseed(body.seed);
    if (!Array.isArray(body.rules)) throw validationError('rules must be an array');
    faults.set(body.rules.map(ruleFromJson));
    res.json(view());
  });
  router.post('/', (req, res) => res.status(201).json({ id: faults.add(ruleFromJson(req.body)) }));
  router.delete('/', (_req, res) => {
    faults.clear();
    faults.releaseHeld();
    res.status(204).end();
  });
  router.delete('/:id', (req, res) => {
    faults.clear(req.params.id);
    res.status(204).end();
  });
  return router;
}

type WebhookSettings = { targetUrl?: string; subscriptions?: WebhookSubscription[]; retryDelayMs?: number };

function webhookControl(current: () => WebhookDeliverer | undefined, configure: (o: WebhookSettings) => void): Router {
  const router = Router();
  const view = () => {
    const d = current();
    return d
      ? { enabled: true, counters: d.counters(), subscriptions: d.subscriptions(), log: d.log(), dropped: d.dropped() }
      : { enabled: false };
  };
  router.get('/', (_req, res) => res.json(view()));
  router.put('/', (req, res) => {
    configure(objectBody(req.body) as WebhookSettings);
    res.json(view());
  });
  router.post('/drain', async (_req, res) => {
    await current()?.drain();
    res.json(view());
  });
  return router;
}

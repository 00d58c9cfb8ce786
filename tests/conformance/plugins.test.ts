import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_APP, type Sandbox } from '../../server/sandbox/server.ts';
import { clientFor, failure, startDemo } from './helpers.ts';

let sandbox: Sandbox | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  receiver = undefined;
});

const control = (path: string, method: string, body?: unknown) =>
  fetch(`${sandbox!.url}/__sandbox/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('request budget, faults and webhooks wired into the sandbox', () => {
  it('is generous by default, and answers HubSpot’s 429 once tightened', async () => {
    sandbox = await startDemo();
    const client = clientFor(sandbox);
    for (let i = 0; i < 20; i++) await client.crm.contacts.basicApi.getPage(1);
    await control('budget', 'PUT', { perWindow: 2, windowMs: 10_000 });
    await control('budget', 'DELETE');
    const token = sandbox.issueAccessToken();
    const call = () =>
      fetch(`${sandbox!.url}/crm/v3/objects/contacts?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);
    const second = await call();
    expect(second.headers.get('x-hubspot-ratelimit-max')).toBe('2');
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    const viaSdk = await failure(client.crm.deals.basicApi.getPage(1));
    expect(viaSdk.code).toBe(429);
    sandbox.clock.advance(10_001);
    expect((await call()).status).toBe(200);
  });

  it('uses HubSpot’s limits with budget: "hubspot"', async () => {
    sandbox = await startDemo({ budget: 'hubspot' });
    const budget = (await (await control('budget', 'GET')).json()) as {
      settings: { perWindow: number; searchPerSecond: number };
    };
    expect(budget.settings).toMatchObject({ perWindow: 110, searchPerSecond: 5 });
  });

  it('injects faults set through the control API, then stops', async () => {
    sandbox = await startDemo();
    const client = clientFor(sandbox);
    await control('faults', 'PUT', { rules: [{ kind: 'status', status: 502, pathPattern: '^/crm/v3/objects/deals' }] });
    expect((await failure(client.crm.deals.basicApi.getPage(1))).code).toBe(502);
    await client.crm.contacts.basicApi.getPage(1);
    await control('faults', 'DELETE');
    await client.crm.deals.basicApi.getPage(1);
  });

  it('delivers the app’s own write as a signed webhook batch', async () => {
    const received: { headers: IncomingMessage['headers']; body: unknown }[] = [];
    receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(text) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', () => resolve()));
    const targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/hubspot`;
    sandbox = await startDemo({
      webhooks: { targetUrl, subscriptions: [{ subscriptionType: 'deal.propertyChange', propertyName: 'amount' }] },
    });
    await clientFor(sandbox).crm.deals.batchApi.update({ inputs: [{ id: '1057', properties: { amount: '61000' } }] });
    await sandbox.plugins.webhooks()!.drain();
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['x-hubspot-signature-v3']).toBeTruthy();
    expect(received[0]!.body).toEqual([
      expect.objectContaining({
        subscriptionType: 'deal.propertyChange',
        objectId: 1057,
        propertyName: 'amount',
        propertyValue: '61000',
        changeSource: 'INTEGRATION',
        sourceId: String(DEFAULT_APP.appId),
        portalId: sandbox.portalId,
        appId: DEFAULT_APP.appId,
      }),
    ]);
  });
});

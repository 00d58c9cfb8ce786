import { Signature } from '@hubspot/api-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxChange } from '../../../server/sandbox/contracts.ts';
import {
  createWebhookDeliverer,
  signV1,
  signV3,
  signedUri,
  type WebhookDeliverer,
  type WebhookDelivererOptions,
  type WebhookSubscription,
} from '../../../server/sandbox/webhooks/index.ts';
import { startReceiver, verifyV1, verifyV3 } from './receiver.ts';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const APP = 9393361;
const PORTAL = 9000001;
const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const LIFECYCLE: WebhookSubscription = { subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' };

const lifecycle = (objectId: string, value: string, at = T0): SandboxChange => ({
  kind: 'propertyChange',
  objectType: 'contacts',
  objectId,
  propertyName: 'lifecyclestage',
  propertyValue: value,
  occurredAt: at,
  source: { changeSource: 'CRM_UI', sourceId: 'userId:501' },
});

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function setup(
  answer?: Parameters<typeof startReceiver>[1],
  over: Partial<WebhookDelivererOptions> = {},
): Promise<{ receiver: Awaited<ReturnType<typeof startReceiver>>; deliverer: WebhookDeliverer }> {
  const receiver = await startReceiver(SECRET, answer);
  cleanup.push(receiver.close);
  const deliverer = createWebhookDeliverer({
    targetUrl: receiver.target,
    clientSecret: SECRET,
    appId: APP,
    portalId: String(PORTAL),
    subscriptions: [LIFECYCLE],
    retry: { maxAttempts: 4, delayMs: () => 0 },
    ...over,
  });
  cleanup.push(() => deliverer.close());
  return { receiver, deliverer };
}

describe('webhook signatures', () => {
  it('matches the SDK’s official v1 vector and the notes’ v3 worked example', () => {
    const v1Body =
      '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    expect(signV1(SECRET, v1Body)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
    expect(verifyV1(SECRET, v1Body, '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de')).toBe(true);

    const v3 = signV3(
      SECRET,
      'POST',
      'https://www.example.com/webhook_uri',
      '{"example_field":"example_value"}',
      1700000000000,
    );
    expect(v3).toBe('rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=');
    expect(
      verifyV3(
        SECRET,
        'POST',
        'https://www.example.com/webhook_uri',
        '{"example_field":"example_value"}',
        '1700000000000',
        'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=',
      ),
    ).toBe(true);
  });

  it('signs the full URI, with HubSpot’s listed escapes decoded', () => {
    expect(signedUri('http://127.0.0.1:3000/hooks?app=closed-loop')).toBe(
      'http://127.0.0.1:3000/hooks?app=closed-loop',
    );
    expect(signedUri('https://example.com/a%3Ab/c?x=%40y%2Cz%20w')).toBe('https://example.com/a:b/c?x=@y,z%20w');
  });

  it('signs every request so an independent receiver and the SDK both verify it', async () => {
    const { receiver, deliverer } = await setup();
    deliverer.enqueue(lifecycle('101', 'customer'));
    await deliverer.drain();
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(got).toMatchObject({ v1: true, v3: true, fresh: true });
    expect(got!.headers).toMatchObject({ 'content-type': 'application/json', 'x-hubspot-signature-version': 'v1' });
    expect(
      Signature.isValid({
        signatureVersion: 'v3',
        signature: got!.headers['x-hubspot-signature-v3']!,
        clientSecret: SECRET,
        requestBody: got!.body,
        url: receiver.target,
        method: 'POST',
        timestamp: Number(got!.headers['x-hubspot-request-timestamp']),
      }),
    ).toBe(true);
    expect(
      Signature.isValid({
        signature: got!.headers['x-hubspot-signature']!,
        clientSecret: SECRET,
        requestBody: got!.body,
      }),
    ).toBe(true);
  });

  it('a receiver with the wrong secret rejects it', async () => {
    const { receiver, deliverer } = await setup(undefined, { clientSecret: 'not-the-secret' });
    deliverer.enqueue(lifecycle('101', 'customer'));
    await deliverer.drain();
    expect(receiver.received[0]).toMatchObject({ v1: false, v3: false });
  });
});

describe('webhook events', () => {
  it('keeps only subscribed changes and builds HubSpot’s event objects', async () => {
    const { receiver, deliverer } = await setup(undefined, {
      subscriptions: [
        { id: 501, ...LIFECYCLE },
        { id: 502, subscriptionType: 'deal.creation' },
        { id: 503, subscriptionType: 'contact.privacyDeletion' },
        { id: 504, subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', active: false },
      ],
      firstEventId: 7000,
    });
    const source = { changeSource: 'INTEGRATION', sourceId: String(APP) };
    const changes: SandboxChange[] = [
      { ...lifecycle('101', 'customer'), source },
      {
        kind: 'propertyChange',
        objectType: 'contacts',
        objectId: '101',
        propertyName: 'email',
        propertyValue: 'a@b.c',
        occurredAt: T0,
        source,
      },
      {
        kind: 'propertyChange',
        objectType: 'companies',
        objectId: '301',
        propertyName: 'lifecyclestage',
        propertyValue: 'customer',
        occurredAt: T0,
        source,
      },
      { kind: 'creation', objectType: 'contacts', objectId: '102', occurredAt: T0 + 1, source },
      {
        kind: 'creation',
        objectType: 'deals',
        objectId: '9001',
        occurredAt: T0 + 2,
        source: { changeSource: 'CRM_UI', sourceId: 'userId:501' },
      },
      {
        kind: 'propertyChange',
        objectType: 'deals',
        objectId: '9001',
        propertyName: 'dealstage',
        propertyValue: 'closedwon',
        occurredAt: T0,
        source,
      },
      {
        kind: 'privacyDeletion',
        objectType: 'contacts',
        objectId: '103',
        occurredAt: T0 + 3,
        source: { changeSource: 'GDPR' },
      },
    ];
    const produced = changes.map((c) => deliverer.enqueue(c).length);
    expect(produced).toEqual([1, 0, 0, 0, 1, 0, 1]);
    await deliverer.drain();
    expect(receiver.received).toHaveLength(1);
    const body = receiver.received[0]!.body;
    expect(JSON.parse(body)).toEqual([
      {
        eventId: 7000,
        subscriptionId: 501,
        portalId: PORTAL,
        appId: APP,
        occurredAt: T0,
        subscriptionType: 'contact.propertyChange',
        attemptNumber: 0,
        objectId: 101,
        propertyName: 'lifecyclestage',
        propertyValue: 'customer',
        changeSource: 'INTEGRATION',
        sourceId: String(APP),
      },
      {
        eventId: 7001,
        subscriptionId: 502,
        portalId: PORTAL,
        appId: APP,
        occurredAt: T0 + 2,
        subscriptionType: 'deal.creation',
        attemptNumber: 0,
        objectId: 9001,
        changeFlag: 'NEW',
        changeSource: 'CRM_UI',
        sourceId: 'userId:501',
      },
      {
        eventId: 7002,
        subscriptionId: 503,
        portalId: PORTAL,
        appId: APP,
        occurredAt: T0 + 3,
        subscriptionType: 'contact.privacyDeletion',
        attemptNumber: 0,
        objectId: 103,
        changeSource: 'GDPR',
      },
    ]);
    // Key order as HubSpot sends it.
    expect(
      body.startsWith('[{"eventId":7000,"subscriptionId":501,"portalId":9000001,"appId":9393361,"occurredAt":'),
    ).toBe(true);
    expect(deliverer.counters()).toMatchObject({ changes: 7, ignored: 4, events: 3, delivered: 1 });
  });

  it('builds merge, association (one event per side), deletion, restore and generic object.* events', async () => {
    const { receiver, deliverer } = await setup(undefined, {
      subscriptions: [
        { id: 1, subscriptionType: 'contact.merge' },
        { id: 2, subscriptionType: 'contact.associationChange' },
        { id: 3, subscriptionType: 'deal.associationChange' },
        { id: 4, subscriptionType: 'deal.deletion' },
        { id: 5, subscriptionType: 'ticket.restore' },
        { id: 6, subscriptionType: 'object.propertyChange', objectType: 'company', propertyName: 'name' },
      ],
      firstEventId: 1,
    });
    const source = { changeSource: 'CRM_UI' };
    deliverer.enqueue({
      kind: 'merge',
      objectType: 'contacts',
      primaryObjectId: '101',
      mergedObjectIds: ['104'],
      newObjectId: '101',
      numberOfPropertiesMoved: 12,
      occurredAt: T0,
      source,
    });
    deliverer.enqueue({
      kind: 'associationChange',
      fromObjectType: 'contacts',
      fromObjectId: '101',
      toObjectType: 'deals',
      toObjectId: '9001',
      associationRemoved: false,
      occurredAt: T0,
      source,
    });
    deliverer.enqueue({ kind: 'deletion', objectType: 'deals', objectId: '9002', occurredAt: T0, source });
    deliverer.enqueue({ kind: 'restore', objectType: 'tickets', objectId: '77', occurredAt: T0, source });
    deliverer.enqueue({
      kind: 'propertyChange',
      objectType: 'companies',
      objectId: '301',
      propertyName: 'name',
      propertyValue: 'Acme',
      occurredAt: T0,
      source,
    });
    await deliverer.drain();
    const common = { portalId: PORTAL, appId: APP, occurredAt: T0, attemptNumber: 0, changeSource: 'CRM_UI' };
    expect(receiver.received[0]!.events).toEqual([
      {
        ...common,
        eventId: 1,
        subscriptionId: 1,
        subscriptionType: 'contact.merge',
        objectId: 101,
        primaryObjectId: 101,
        mergedObjectIds: [104],
        newObjectId: 101,
        numberOfPropertiesMoved: 12,
      },
      {
        ...common,
        eventId: 2,
        subscriptionId: 2,
        subscriptionType: 'contact.associationChange',
        objectId: 101,
        associationType: 'CONTACT_TO_DEAL',
        fromObjectId: 101,
        toObjectId: 9001,
        associationRemoved: false,
        isPrimaryAssociation: false,
      },
      {
        ...common,
        eventId: 3,
        subscriptionId: 3,
        subscriptionType: 'deal.associationChange',
        objectId: 9001,
        associationType: 'DEAL_TO_CONTACT',
        fromObjectId: 9001,
        toObjectId: 101,
        associationRemoved: false,
        isPrimaryAssociation: false,
      },
      {
        ...common,
        eventId: 4,
        subscriptionId: 4,
        subscriptionType: 'deal.deletion',
        objectId: 9002,
        changeFlag: 'DELETED',
      },
      { ...common, eventId: 5, subscriptionId: 5, subscriptionType: 'ticket.restore', objectId: 77 },
      {
        ...common,
        eventId: 6,
        subscriptionId: 6,
        subscriptionType: 'object.propertyChange',
        objectId: 301,
        objectTypeId: '0-2',
        propertyName: 'name',
        propertyValue: 'Acme',
      },
    ]);
  });

  it('refuses subscriptions HubSpot would refuse', async () => {
    const make = (s: WebhookSubscription) => () =>
      createWebhookDeliverer({
        targetUrl: 'http://127.0.0.1:1/x',
        clientSecret: SECRET,
        appId: APP,
        portalId: PORTAL,
        subscriptions: [s],
      });
    expect(make({ subscriptionType: 'contact.propertyChange' })).toThrow(/propertyName/);
    expect(make({ subscriptionType: 'contact.propertyChange', propertyName: 'hs_lastmodifieddate' })).toThrow(/cannot/);
    expect(make({ subscriptionType: 'widget.creation' })).toThrow(/unknown object/);
    expect(make({ subscriptionType: 'deal.privacyDeletion' })).toThrow(/unknown event/);
    expect(make({ subscriptionType: 'object.creation' })).toThrow(/objectType/);
  });
});

describe('webhook delivery', () => {
  it('batches 250 changes into 3 POSTs of 100, 100 and 50', async () => {
    const { receiver, deliverer } = await setup(undefined, { autoFlush: false });
    for (let i = 0; i < 250; i++) deliverer.enqueue(lifecycle(String(1000 + i), 'lead', T0 + i));
    await deliverer.drain();
    expect(receiver.received.map((r) => r.events.length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    const ids = receiver.received.flatMap((r) => r.events.map((e) => e.objectId as number)).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 250 }, (_, i) => 1000 + i));
    expect(receiver.received.every((r) => r.v1 && r.v3)).toBe(true);
    expect(deliverer.log().map((a) => [a.status, a.events.length, a.attemptNumber])).toEqual(
      expect.arrayContaining([
        [200, 100, 0],
        [200, 50, 0],
      ]),
    );
  });

  it('sends on its own after flushDelayMs', async () => {
    const { receiver, deliverer } = await setup(undefined, { flushDelayMs: 20 });
    deliverer.enqueue(lifecycle('101', 'customer'));
    deliverer.enqueue(lifecycle('102', 'customer'));
    expect(receiver.received).toHaveLength(0);
    while (receiver.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(receiver.received[0]!.events).toHaveLength(2);
  });

  it('retries after a 500 with attemptNumber 1, re-signed, same events', async () => {
    const { receiver, deliverer } = await setup((n) => (n === 0 ? 500 : 200));
    deliverer.enqueue(lifecycle('101', 'customer'));
    await deliverer.drain();
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(first!.events.map((e) => e.attemptNumber)).toEqual([0]);
    expect(second!.events.map((e) => e.attemptNumber)).toEqual([1]);
    expect(second!.events[0]!.eventId).toBe(first!.events[0]!.eventId);
    expect(second!.v3 && second!.v1).toBe(true);
    expect(deliverer.log().map((a) => [a.status, a.attemptNumber, a.ok])).toEqual([
      [500, 0, false],
      [200, 1, true],
    ]);
    expect(deliverer.counters()).toMatchObject({ attempts: 2, failures: 1, delivered: 1, dropped: 0 });
  });

  it('retries any 4xx too, waits delayMs(attempt), and gives up after maxAttempts', async () => {
    const waits: number[] = [];
    const { receiver, deliverer } = await setup(() => 400, {
      retry: {
        maxAttempts: 3,
        delayMs: (attempt) => {
          waits.push(attempt);
          return 10 * attempt;
        },
      },
    });
    deliverer.enqueue(lifecycle('101', 'customer'));
    await deliverer.drain();
    expect(receiver.received.map((r) => r.events[0]!.attemptNumber)).toEqual([0, 1, 2]);
    expect(waits).toEqual([1, 2]);
    expect(deliverer.dropped()).toHaveLength(1);
    expect(deliverer.counters()).toMatchObject({ attempts: 3, failures: 3, delivered: 0, dropped: 1 });
  });

  it('treats no answer within the timeout as a failure and retries', async () => {
    const { receiver, deliverer } = await setup((n) => (n === 0 ? 'hang' : 204), { timeoutMs: 150 });
    deliverer.enqueue(lifecycle('101', 'customer'));
    await deliverer.drain();
    const log = deliverer.log();
    expect(log.map((a) => [a.status, a.attemptNumber])).toEqual([
      [null, 0],
      [204, 1],
    ]);
    expect(log[0]!.error).toMatch(/^timeout/);
    expect(log[0]!.durationMs).toBeGreaterThanOrEqual(140);
    expect(receiver.received).toHaveLength(2);
  });

  it('treats a connection error as a failure', async () => {
    const receiver = await startReceiver(SECRET);
    const deadUrl = receiver.target;
    await receiver.close();
    const deliverer = createWebhookDeliverer({
      targetUrl: deadUrl,
      clientSecret: SECRET,
      appId: APP,
      portalId: PORTAL,
      subscriptions: [LIFECYCLE],
      retry: { maxAttempts: 2, delayMs: () => 0 },
    });
    cleanup.push(() => deliverer.close());
    deliverer.enqueue(lifecycle('101', 'customer'));
    await deliverer.drain();
    expect(deliverer.log().map((a) => [a.status, a.attemptNumber, a.error?.split(':')[0]])).toEqual([
      [null, 0, 'connection'],
      [null, 1, 'connection'],
    ]);
  });

  it('keeps at most maxConcurrentRequests in flight', async () => {
    let open = 0;
    let most = 0;
    const slowFetch: typeof fetch = async () => {
      open++;
      most = Math.max(most, open);
      await new Promise((resolve) => setTimeout(resolve, 10));
      open--;
      return new Response(null, { status: 200 });
    };
    const deliverer = createWebhookDeliverer({
      targetUrl: 'http://127.0.0.1:9/hooks',
      clientSecret: SECRET,
      appId: APP,
      portalId: PORTAL,
      subscriptions: [LIFECYCLE],
      maxBatchSize: 1,
      maxConcurrentRequests: 3,
      fetch: slowFetch,
      clock: () => T0,
    });
    cleanup.push(() => deliverer.close());
    for (let i = 0; i < 12; i++) deliverer.enqueue(lifecycle(String(i + 1), 'lead'));
    await deliverer.drain();
    expect(most).toBe(3);
    expect(deliverer.log()).toHaveLength(12);
    expect(deliverer.log().every((a) => a.timestamp === T0)).toBe(true);
  });

  it('close() drops waiting work and aborts what is in flight', async () => {
    const { receiver, deliverer } = await setup(() => 'hang', { timeoutMs: 10_000 });
    deliverer.enqueue(lifecycle('101', 'customer'));
    deliverer.flush();
    while (receiver.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const drained = deliverer.drain();
    await deliverer.close();
    await drained;
    expect(deliverer.log().map((a) => [a.status, a.error])).toEqual([[null, 'closed']]);
    expect(() => deliverer.enqueue(lifecycle('102', 'lead'))).toThrow(/closed/);
  });
});

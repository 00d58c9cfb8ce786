import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { serve } from '../../helpers/serve-express.ts';

/**
 * An app's webhook endpoint, for tests: a real express server that checks HubSpot's signatures with its
 * own node:crypto code (not the sandbox's), the way a receiver does it.
 */

export const verifyV1 = (secret: string, body: string, signature: string): boolean =>
  safeEqual(createHash('sha256').update(`${secret}${body}`).digest('hex'), signature);

export const verifyV3 = (
  secret: string,
  method: string,
  uri: string,
  body: string,
  timestamp: string,
  signature: string,
) => safeEqual(createHmac('sha256', secret).update(`${method}${uri}${body}${timestamp}`).digest('base64'), signature);

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type Received = {
  body: string;
  events: Record<string, unknown>[];
  headers: Record<string, string | undefined>;
  v1: boolean;
  v3: boolean;
  fresh: boolean;
};

/**
 * `answer(n)` decides the answer to the n-th request (from 0): a status, or 'hang' to never answer.
 */
export async function startReceiver(secret: string, answer: (n: number) => number | 'hang' = () => 200) {
  const received: Received[] = [];
  const app = express();
  app.post('/hooks/hubspot', express.raw({ type: '*/*' }), (req, res) => {
    const body = (req.body as Buffer).toString('utf8');
    const timestamp = req.get('x-hubspot-request-timestamp') ?? '';
    const uri = `${req.protocol}://${req.get('host')}${req.originalUrl}`;
    received.push({
      body,
      events: JSON.parse(body) as Record<string, unknown>[],
      headers: {
        'content-type': req.get('content-type'),
        'x-hubspot-signature': req.get('x-hubspot-signature'),
        'x-hubspot-signature-version': req.get('x-hubspot-signature-version'),
        'x-hubspot-signature-v3': req.get('x-hubspot-signature-v3'),
        'x-hubspot-request-timestamp': timestamp,
      },
      v1:
        req.get('x-hubspot-signature-version') === 'v1' && verifyV1(secret, body, req.get('x-hubspot-signature') ?? ''),
      v3: verifyV3(secret, req.method, uri, body, timestamp, req.get('x-hubspot-signature-v3') ?? ''),
      fresh: Math.abs(Date.now() - Number(timestamp)) < 300_000,
    });
    const what = answer(received.length - 1);
    if (what === 'hang') return;
    res.status(what).end();
  });
  const server = await serve(app);
  return { ...server, received, target: `${server.url}/hooks/hubspot?app=closed-loop` };
}

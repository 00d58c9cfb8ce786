import { isAscii } from 'node:buffer';
import express, { Router } from 'express';
import type { Logger } from '../../logging/logger.ts';
import { parseEventBatch } from '../../webhooks/event-batch.ts';
import type { WebhookIntake } from '../../webhooks/intake.ts';
import { verifyHubSpotSignature } from '../hubspot-signature.ts';

export type WebhookRouteDeps = {
  clientSecret: string;
  /** PUBLIC_BASE_URL: HubSpot signs the URL it was told to call, which is this origin + the path. */
  publicBaseUrl: string;
  intake: WebhookIntake;
  log: Logger;
  now?: () => number;
};

/** HubSpot sends at most 100 events a request, each well under 1 kB; anything far larger is not HubSpot. */
const MAX_BODY = '1mb';

/**
 * `POST /webhooks/hubspot`: HubSpot's signed webhook deliveries. Verified on the raw bytes, parsed,
 * stored in the inbox and answered; the work happens later in the `webhooks.drain` job, so the answer
 * comes well inside HubSpot's 5-second timeout. Non-2xx answers make HubSpot retry (up to 10 times over
 * 24 h), so a 4xx is only for what a retry cannot fix or must not be trusted: a bad signature (401) or
 * a body that is not a batch of events (400). A 500 (the database is down) is retried, as it should be.
 */
export function webhookRoutes(deps: WebhookRouteDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const base = deps.publicBaseUrl.replace(/\/+$/, '');

  // Raw whatever the content type: the signature covers the exact bytes, so nothing may parse them first.
  router.post('/webhooks/hubspot', express.raw({ type: () => true, limit: MAX_BODY }), async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? text(req.body) : '';
    const check = verifyHubSpotSignature(
      { method: req.method, uri: `${base}${req.originalUrl}`, rawBody, headers: req.headers },
      deps.clientSecret,
      now(),
    );
    if (!check.ok) {
      deps.log.warn({ reason: check.reason, ip: req.ip }, 'webhook delivery refused: bad signature');
      res.status(401).json({ ok: false, error: { message: `invalid HubSpot signature: ${check.reason}` } });
      return;
    }
    const batch = parseEventBatch(rawBody);
    if (!batch.ok) {
      deps.log.warn({ problem: batch.problem }, 'webhook delivery refused: malformed batch');
      res.status(400).json({ ok: false, error: { message: `malformed webhook batch: ${batch.problem}` } });
      return;
    }
    const outcome = await deps.intake.store(batch.events, rawBody);
    if (outcome.ignored > 0) {
      // Accepted anyway: refusing would only make HubSpot retry for a day what can never be stored, and
      // would lose the other portals' events of a mixed batch.
      deps.log.warn(
        { portals: outcome.ignoredPortals, events: outcome.ignored },
        'webhook events of unknown or uninstalled portals ignored',
      );
    }
    res.status(200).json({ ok: true, data: { accepted: outcome.accepted, ignored: outcome.ignored } });
    // After answering: the drain intents are committed, so if Redis is slow or down this only delays
    // the drain (reconcile queues pending intents), never HubSpot's answer.
    outcome.dispatch().catch((error: unknown) => {
      deps.log.warn({ err: error }, 'webhook drain not queued yet; reconcile will queue it');
    });
  });
  return router;
}

/**
 * The body as text. HubSpot's bodies are mostly ASCII, for which Latin-1 decoding gives the same string
 * several times faster than UTF-8 decoding (it matters at hundreds of deliveries a second).
 */
function text(body: Buffer): string {
  return isAscii(body) ? body.toString('latin1') : body.toString('utf8');
}

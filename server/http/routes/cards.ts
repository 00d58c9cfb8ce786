import express, { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { CardRefusal } from '../../cards/card-refusal.ts';
import type { CardService } from '../../cards/card-service.ts';
import type { CardError } from '../../cards/contracts/common.ts';
import { AcceptLeadRequest, ContactCardRequest } from '../../cards/contracts/contact.ts';
import { DealCardRequest, FillDealFieldRequest } from '../../cards/contracts/deal.ts';
import {
  SetChangeRequestReasonRequest,
  SetChecklistItemRequest,
  TicketCardRequest,
} from '../../cards/contracts/ticket.ts';
import type { Logger } from '../../logging/logger.ts';
import { authenticateRawCardRequest, queryClaimsDisagree } from '../card-auth.ts';

export type CardRouteDeps = {
  cards: CardService;
  clientSecret: string;
  /** PUBLIC_BASE_URL: HubSpot signs the URL the card fetched, which is this origin + the path. */
  publicBaseUrl: string;
  log: Logger;
  now?: () => number;
};

/** hubspot.fetch carries at most 1 MB each way; card requests are a few hundred bytes. */
const MAX_REQUEST = '64kb';
const MAX_REQUEST_BYTES = 64 * 1024;
const MAX_ANSWER_BYTES = 1_000_000;

/**
 * `POST /cards/v1/*`: the API the CRM cards call through `hubspot.fetch` (server/cards/README.md).
 *
 * Status codes: HubSpot's proxy turns any answer ≥ 300 into a bare proxy error the card cannot read,
 * so every request HubSpot signed is answered 200, with `{ ok: true, data }` or
 * `{ ok: false, error: { code, message, field? } }` for the card to show (a malformed request, a
 * record of another portal, a value outside the picklist). Only a request HubSpot did not sign gets a
 * 401; a body over 64 kB gets 413 from the parser.
 */
export function cardRoutes(deps: CardRouteDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const { cards } = deps;
  const endpoints = new Map<string, (req: Request, res: Response, rawBody: string) => Promise<void>>();

  const route = <S extends z.ZodType, T>(path: string, schema: S, run: (request: z.output<S>) => Promise<T>) => {
    endpoints.set(path, async (req, res, rawBody) => {
      const caller = authenticateRawCardRequest(req, rawBody, {
        clientSecret: deps.clientSecret,
        publicBaseUrl: deps.publicBaseUrl,
        now: now(),
      });
      if (!caller.ok) {
        deps.log.warn({ reason: caller.reason, path: req.path }, 'card request refused: bad signature');
        res
          .status(401)
          .json({ ok: false, error: { code: 'unauthorized', message: `invalid HubSpot signature: ${caller.reason}` } });
        return;
      }
      const request = parseRequest(schema, rawBody);
      if (!request.ok) return answer(res, { ok: false, error: request.error });
      const claims = request.value as { portalId: number; userId: number; userEmail?: string };
      const disagrees = queryClaimsDisagree(req.query, claims);
      if (disagrees !== undefined) {
        deps.log.warn({ field: disagrees, portalId: claims.portalId }, 'card request names another portal or user');
        return answer(res, { ok: false, error: NOT_THIS_ACCOUNT });
      }
      try {
        return answer(res, { ok: true, data: await run(request.value) });
      } catch (error) {
        if (!(error instanceof CardRefusal)) throw error;
        return answer(res, {
          ok: false,
          error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
        });
      }
    });
  };

  route('/cards/v1/deal', DealCardRequest, cards.dealCard);
  route('/cards/v1/deal/field', FillDealFieldRequest, cards.fillDealField);
  route('/cards/v1/ticket', TicketCardRequest, cards.ticketCard);
  route('/cards/v1/ticket/checklist', SetChecklistItemRequest, cards.setChecklistItem);
  route('/cards/v1/ticket/change-request-reason', SetChangeRequestReasonRequest, cards.setChangeRequestReason);
  route('/cards/v1/contact', ContactCardRequest, cards.contactCard);
  route('/cards/v1/contact/accept-lead', AcceptLeadRequest, cards.acceptLead);

  // One layer for every card endpoint, looked up by path, instead of a parser layer and a route layer
  // each: at 100 requests in flight, express's walk through layers is a good part of a card answer.
  // Paths match as express matches routes: any case, with or without a trailing slash.
  router.use((req, res, next) => {
    if (req.method !== 'POST' || !req.path.toLowerCase().startsWith('/cards/v1/')) return next();
    const endpoint = endpoints.get(req.path) ?? endpoints.get(req.path.toLowerCase().replace(/(.)\/$/, '$1'));
    if (endpoint === undefined) return next();
    readRawBody(req, res, (error, rawBody) => {
      if (error !== undefined) return next(error);
      endpoint(req, res, rawBody).catch(next);
    });
  });
  return router;
}

/** Raw whatever the content type: the signature covers the exact bytes. */
const rawParser = express.raw({ type: () => true, limit: MAX_REQUEST });

/**
 * The request body as received. A plain body (a Content-Length within the limit, no content coding:
 * what HubSpot's proxy sends) is read here; anything else goes through express's raw parser, which
 * inflates a compressed body, refuses one over the limit with 413 and reads a chunked one.
 */
function readRawBody(req: Request, res: Response, done: (error: unknown, rawBody: string) => void): void {
  const length = req.headers['content-length'];
  const coding = req.headers['content-encoding'];
  if (
    length === undefined ||
    Number(length) > MAX_REQUEST_BYTES ||
    req.headers['transfer-encoding'] !== undefined ||
    (coding !== undefined && coding.toLowerCase() !== 'identity')
  ) {
    rawParser(req, res, (error?: unknown) =>
      done(error ?? undefined, Buffer.isBuffer(req.body) ? req.body.toString('utf8') : ''),
    );
    return;
  }
  const chunks: Buffer[] = [];
  let settled = false;
  const settle = (error: unknown) => {
    if (settled) return;
    settled = true;
    done(error, error === undefined ? Buffer.concat(chunks).toString('utf8') : '');
  };
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.once('end', () => settle(undefined));
  // The connection closed before the whole body came: nothing to answer, the error handler logs it.
  req.once('error', settle);
}

const NOT_THIS_ACCOUNT: CardError = {
  code: 'not_found',
  message: 'This record is not one of this HubSpot account’s records in Closed Loop.',
};

function parseRequest<S extends z.ZodType>(
  schema: S,
  rawBody: string,
): { ok: true; value: z.output<S> } | { ok: false; error: CardError } {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { ok: false, error: { code: 'invalid_request', message: 'the request body is not JSON' } };
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  return {
    ok: false,
    error: {
      code: 'invalid_request',
      message: `${field || 'body'}: ${issue.message}`,
      ...(field ? { field } : {}),
    },
  };
}

function answer(res: Response, body: { ok: true; data: unknown } | { ok: false; error: CardError }): void {
  let text = JSON.stringify(body);
  let length = Buffer.byteLength(text);
  if (length > MAX_ANSWER_BYTES) {
    // Lists are capped well below this; reaching it is a bug, and HubSpot would drop the answer anyway.
    text = JSON.stringify({
      ok: false,
      error: { code: 'invalid_request', message: 'The answer is too large for HubSpot to carry.' },
    });
    length = Buffer.byteLength(text);
  }
  // Written as is: express's send would also hash the body for an ETag, which a POST never uses, and
  // set its headers one by one; at 100 requests in flight that was about a quarter of the server's CPU
  // per answer (tests/bench/RESULTS.md, 2026-12-05).
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': length });
  res.end(text);
}

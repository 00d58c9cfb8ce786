import express, { Router, type Response } from 'express';
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
import { authenticateCardRequest, queryClaimsDisagree } from '../card-auth.ts';

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
  // Raw whatever the content type: the signature covers the exact bytes.
  router.use('/cards/v1', express.raw({ type: () => true, limit: MAX_REQUEST }));

  const route = <S extends z.ZodType, T>(path: string, schema: S, run: (request: z.output<S>) => Promise<T>) => {
    router.post(path, async (req, res) => {
      const caller = authenticateCardRequest(req, {
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
      const request = parseRequest(schema, caller.rawBody);
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
  return router;
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
  const text = JSON.stringify(body);
  if (Buffer.byteLength(text) > MAX_ANSWER_BYTES) {
    // Lists are capped well below this; reaching it is a bug, and HubSpot would drop the answer anyway.
    res.status(200).json({
      ok: false,
      error: { code: 'invalid_request', message: 'The answer is too large for HubSpot to carry.' },
    });
    return;
  }
  res.status(200).type('application/json').send(text);
}

import type { Request } from 'express';
import { verifyHubSpotSignature } from './hubspot-signature.ts';

/**
 * Who a card request comes from. Only HubSpot can sign with the app's client secret, and it signs what
 * the card sent from inside HubSpot: method, full URI (with any query HubSpot appends), raw body and
 * timestamp (v3, 5-minute window, constant-time compare). The v1/v2 signatures carry no timestamp,
 * so a captured request could be replayed forever: the cards accept v3 only.
 */
export type CardCaller = { ok: true; rawBody: string } | { ok: false; reason: string };

export function authenticateCardRequest(
  req: Request,
  options: { clientSecret: string; publicBaseUrl: string; now: number },
): CardCaller {
  return authenticateRawCardRequest(req, Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '', options);
}

/** The same check on a body the caller read itself (the card routes read theirs without a parser). */
export function authenticateRawCardRequest(
  req: Request,
  rawBody: string,
  options: { clientSecret: string; publicBaseUrl: string; now: number },
): CardCaller {
  if (req.get('x-hubspot-signature-v3') === undefined) return { ok: false, reason: 'no X-HubSpot-Signature-v3 header' };
  const base = options.publicBaseUrl.replace(/\/+$/, '');
  const check = verifyHubSpotSignature(
    { method: req.method, uri: `${base}${req.originalUrl}`, rawBody, headers: req.headers },
    options.clientSecret,
    options.now,
  );
  return check.ok ? { ok: true, rawBody } : { ok: false, reason: check.reason };
}

/**
 * The ids HubSpot may append to the URL of a proxied request (`portalId`, `userId`, `userEmail`). When
 * present they are HubSpot's word, covered by the signature, so a body naming another portal or user
 * is refused; the body's own ids are what the card read from its context.
 */
export function queryClaimsDisagree(
  query: Request['query'],
  body: { portalId: number; userId: number; userEmail?: string | undefined },
): string | undefined {
  const single = (name: string) => {
    const value = query[name];
    return typeof value === 'string' ? value : undefined;
  };
  const portalId = single('portalId');
  if (portalId !== undefined && portalId !== String(body.portalId)) return 'portalId';
  const userId = single('userId');
  if (userId !== undefined && userId !== String(body.userId)) return 'userId';
  const userEmail = single('userEmail');
  if (
    userEmail !== undefined &&
    body.userEmail !== undefined &&
    userEmail.toLowerCase() !== body.userEmail.toLowerCase()
  )
    return 'userEmail';
  return undefined;
}

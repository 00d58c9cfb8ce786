import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Verifies that a request really comes from HubSpot (webhook deliveries and `hubspot.fetch` calls of
 * the cards), on the raw body as received.
 *
 * v3 (preferred, sent with `X-HubSpot-Signature-v3` + `X-HubSpot-Request-Timestamp`):
 * base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)); the timestamp must be at most
 * 5 minutes old and not in the future, so a captured request can't be replayed later. HubSpot's docs
 * say some characters of the URI are URL-decoded before signing; that list isn't confirmed from a
 * primary source, so both the URI as received and its decoded form are accepted (both need the secret).
 *
 * v1/v2 (`X-HubSpot-Signature` + `X-HubSpot-Signature-Version`) carry no timestamp, so they are only
 * accepted where v3 is absent: v1 = sha256hex(secret + body), v2 = sha256hex(secret + method + uri + body).
 */

export const MAX_AGE_MS = 5 * 60_000;
/** Allowance for clock skew between HubSpot's servers and ours on the "not in the future" rule. */
export const FUTURE_SKEW_MS = 1_000;

export type SignedRequest = {
  method: string;
  /** The full public URI the request was sent to: https://host/path?query. */
  uri: string;
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
};

export type SignatureCheck = { ok: true; version: 'v1' | 'v2' | 'v3' } | { ok: false; reason: string };

export function verifyHubSpotSignature(request: SignedRequest, clientSecret: string, now: number): SignatureCheck {
  const v3 = header(request.headers, 'x-hubspot-signature-v3');
  if (v3 !== undefined) return verifyV3(request, v3, clientSecret, now);
  const legacy = header(request.headers, 'x-hubspot-signature');
  if (legacy === undefined) return { ok: false, reason: 'no HubSpot signature header' };
  const version = (header(request.headers, 'x-hubspot-signature-version') ?? 'v1').toLowerCase();
  if (version === 'v1') {
    return equalText(legacy, sha256Hex(clientSecret + request.rawBody))
      ? { ok: true, version: 'v1' }
      : { ok: false, reason: 'v1 signature does not match' };
  }
  if (version === 'v2') {
    const matches = uriForms(request.uri).some((uri) =>
      equalText(legacy, sha256Hex(clientSecret + request.method.toUpperCase() + uri + request.rawBody)),
    );
    return matches ? { ok: true, version: 'v2' } : { ok: false, reason: 'v2 signature does not match' };
  }
  return { ok: false, reason: `unknown signature version "${version}"` };
}

/** The v3 signature HubSpot would send; used by tests and by the sandbox's own copy of this rule. */
export function signV3(method: string, uri: string, rawBody: string, timestamp: number, clientSecret: string): string {
  return createHmac('sha256', clientSecret)
    .update(`${method.toUpperCase()}${uri}${rawBody}${timestamp}`, 'utf8')
    .digest('base64');
}

function verifyV3(request: SignedRequest, signature: string, clientSecret: string, now: number): SignatureCheck {
  const raw = header(request.headers, 'x-hubspot-request-timestamp');
  const timestamp = Number(raw);
  if (raw === undefined || !Number.isSafeInteger(timestamp))
    return { ok: false, reason: 'missing or invalid timestamp' };
  if (now - timestamp > MAX_AGE_MS) return { ok: false, reason: 'timestamp is older than 5 minutes' };
  if (timestamp - now > FUTURE_SKEW_MS) return { ok: false, reason: 'timestamp is in the future' };
  const matches = uriForms(request.uri).some((uri) =>
    equalText(signature, signV3(request.method, uri, request.rawBody, timestamp, clientSecret)),
  );
  return matches ? { ok: true, version: 'v3' } : { ok: false, reason: 'v3 signature does not match' };
}

const DECODED: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

function uriForms(uri: string): string[] {
  const decoded = uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
  return decoded === uri ? [uri] : [uri, decoded];
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function equalText(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

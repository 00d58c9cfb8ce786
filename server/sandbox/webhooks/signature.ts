import { createHash, createHmac } from 'node:crypto';

/**
 * HubSpot's webhook signatures (as `@hubspot/api-client`'s `Signature.getSignature` computes them):
 * - v1: hex SHA-256 of `clientSecret + body`, in `X-HubSpot-Signature` with `X-HubSpot-Signature-Version: v1`.
 * - v3: base64 HMAC-SHA256, key = client secret, over `method + uri + body + timestamp`, in
 *   `X-HubSpot-Signature-v3`, with the millisecond `X-HubSpot-Request-Timestamp`.
 */

export function signV1(clientSecret: string, body: string): string {
  return createHash('sha256')
    .update(clientSecret + body, 'utf8')
    .digest('hex');
}

export function signV3(clientSecret: string, method: string, uri: string, body: string, timestamp: number): string {
  return createHmac('sha256', clientSecret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');
}

/**
 * HubSpot's request-validation page tells receivers to decode these escapes in the URI before
 * checking a v3 signature, which means HubSpot signs the URI with them decoded. (The list was seen
 * only through a community implementation: unverified.)
 */
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

/** The URI string a v3 signature covers: the full target URL, those escapes decoded. */
export function signedUri(targetUrl: string): string {
  return new URL(targetUrl).href.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()]!);
}

export type SignatureHeaders = {
  'Content-Type': string;
  'X-HubSpot-Signature': string;
  'X-HubSpot-Signature-Version': 'v1';
  'X-HubSpot-Signature-v3': string;
  'X-HubSpot-Request-Timestamp': string;
};

/** Every header a webhook POST carries, signed for `body` at `timestamp`. */
export function webhookHeaders(
  clientSecret: string,
  targetUrl: string,
  body: string,
  timestamp: number,
): SignatureHeaders {
  return {
    'Content-Type': 'application/json',
    'X-HubSpot-Signature': signV1(clientSecret, body),
    'X-HubSpot-Signature-Version': 'v1',
    'X-HubSpot-Signature-v3': signV3(clientSecret, 'POST', signedUri(targetUrl), body, timestamp),
    'X-HubSpot-Request-Timestamp': String(timestamp),
  };
}

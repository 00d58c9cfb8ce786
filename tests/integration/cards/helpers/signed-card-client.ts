import { createHmac } from 'node:crypto';

/**
 * Calls the card API as HubSpot's proxy does for `hubspot.fetch`: a JSON body, signed v3 with the
 * app's client secret over method + full URI + body + timestamp (epoch ms), computed here from
 * HubSpot's documented recipe rather than with the server's own code. `tamper` changes what is sent
 * after signing, to play an attacker.
 */
export type SignedCall = {
  path: string;
  body: unknown;
  secret?: string;
  timestamp?: number;
  /** Appended to the URL before signing, as HubSpot may append ids. */
  query?: Record<string, string>;
  tamper?: { body?: string; path?: string };
  omitSignature?: boolean;
};

export function hubspotSignatureV3(
  secret: string,
  method: string,
  uri: string,
  body: string,
  timestamp: number,
): string {
  return createHmac('sha256', secret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');
}

export function cardClient(baseUrl: string, secret: string) {
  return async function call(options: SignedCall): Promise<{ status: number; json: unknown; bytes: number }> {
    const timestamp = options.timestamp ?? Date.now();
    const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
    const signedUri = `${baseUrl}${options.path}${query}`;
    const body = JSON.stringify(options.body);
    const signature = hubspotSignatureV3(options.secret ?? secret, 'POST', signedUri, body, timestamp);
    const sentPath = options.tamper?.path ?? `${options.path}${query}`;
    const response = await fetch(`${baseUrl}${sentPath}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': String(timestamp),
        ...(options.omitSignature ? {} : { 'x-hubspot-signature-v3': signature }),
      },
      body: options.tamper?.body ?? body,
    });
    const text = await response.text();
    return {
      status: response.status,
      json: text === '' ? undefined : JSON.parse(text),
      bytes: Buffer.byteLength(text),
    };
  };
}

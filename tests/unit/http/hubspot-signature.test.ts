import { describe, expect, it } from 'vitest';
import { signV3, verifyHubSpotSignature } from '../../../server/http/hubspot-signature.ts';

// The official vectors of @hubspot/api-client's own tests (lib/test/unit/signature.spec.js).
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const V1_BODY =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';

describe('verifyHubSpotSignature', () => {
  it("accepts HubSpot's v1 and v2 vectors", () => {
    const v1 = verifyHubSpotSignature(
      {
        method: 'POST',
        uri: 'https://www.example.com/webhook_uri',
        rawBody: V1_BODY,
        headers: {
          'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
          'x-hubspot-signature-version': 'v1',
        },
      },
      SECRET,
      Date.now(),
    );
    expect(v1).toEqual({ ok: true, version: 'v1' });
    const v2 = verifyHubSpotSignature(
      {
        method: 'POST',
        uri: 'https://www.example.com/webhook_uri',
        rawBody: '{"example_field":"example_value"}',
        headers: {
          'x-hubspot-signature': '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900',
          'x-hubspot-signature-version': 'v2',
        },
      },
      SECRET,
      Date.now(),
    );
    expect(v2).toEqual({ ok: true, version: 'v2' });
  });

  it('computes v3 as HMAC-SHA256 over method + uri + body + timestamp (worked example)', () => {
    expect(
      signV3('POST', 'https://www.example.com/webhook_uri', '{"example_field":"example_value"}', 1700000000000, SECRET),
    ).toBe('rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=');
  });

  const now = 1_800_000_000_000;
  const signed = (
    overrides: Partial<{ method: string; uri: string; body: string; timestamp: number; secret: string }> = {},
  ) => {
    const o = {
      method: 'POST',
      uri: 'https://app.example.com/webhooks/hubspot',
      body: '[{"eventId":1}]',
      timestamp: now,
      secret: SECRET,
      ...overrides,
    };
    return {
      method: 'POST',
      uri: 'https://app.example.com/webhooks/hubspot',
      rawBody: '[{"eventId":1}]',
      headers: {
        'x-hubspot-signature-v3': signV3(o.method, o.uri, o.body, o.timestamp, o.secret),
        'x-hubspot-request-timestamp': String(o.timestamp),
      },
    };
  };

  it('accepts a fresh v3 signature and refuses every tampering', () => {
    expect(verifyHubSpotSignature(signed(), SECRET, now)).toEqual({ ok: true, version: 'v3' });
    expect(verifyHubSpotSignature(signed({ body: '[{"eventId":2}]' }), SECRET, now).ok).toBe(false);
    expect(verifyHubSpotSignature(signed({ uri: 'https://app.example.com/other' }), SECRET, now).ok).toBe(false);
    expect(verifyHubSpotSignature(signed({ method: 'GET' }), SECRET, now).ok).toBe(false);
    expect(verifyHubSpotSignature(signed({ secret: 'another-secret' }), SECRET, now).ok).toBe(false);
  });

  it('refuses stale and future timestamps even with a valid signature', () => {
    expect(verifyHubSpotSignature(signed({ timestamp: now - 5 * 60_000 - 1 }), SECRET, now)).toEqual({
      ok: false,
      reason: 'timestamp is older than 5 minutes',
    });
    expect(verifyHubSpotSignature(signed({ timestamp: now + 60_000 }), SECRET, now)).toEqual({
      ok: false,
      reason: 'timestamp is in the future',
    });
  });

  it('does not fall back to v1 when a v3 header is present but wrong', () => {
    const request = signed({ secret: 'wrong' });
    const withLegacy = {
      ...request,
      headers: { ...request.headers, 'x-hubspot-signature': 'whatever', 'x-hubspot-signature-version': 'v1' },
    };
    expect(verifyHubSpotSignature(withLegacy, SECRET, now).ok).toBe(false);
  });

  it('accepts a URI signed in its decoded form', () => {
    const encoded = 'https://app.example.com/cards/deal?portalId=1&email=ana%40example.com';
    const decoded = 'https://app.example.com/cards/deal?portalId=1&email=ana@example.com';
    const request = {
      method: 'GET',
      uri: encoded,
      rawBody: '',
      headers: {
        'x-hubspot-signature-v3': signV3('GET', decoded, '', now, SECRET),
        'x-hubspot-request-timestamp': String(now),
      },
    };
    expect(verifyHubSpotSignature(request, SECRET, now).ok).toBe(true);
  });
});

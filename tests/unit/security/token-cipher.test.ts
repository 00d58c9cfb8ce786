import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenCipher } from '../../../server/security/token-cipher.ts';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('TokenCipher', () => {
  it('round-trips a token and never stores it in the clear', () => {
    const cipher = new TokenCipher([k1]);
    const token = 'CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4';
    const sealed = cipher.seal(token, 'portal:1:access');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.blob.includes(Buffer.from(token))).toBe(false);
    expect(cipher.open(sealed, 'portal:1:access')).toBe(token);
  });

  it('uses a fresh IV, so the same token seals differently each time', () => {
    const cipher = new TokenCipher([k1]);
    expect(cipher.seal('t', 'c').blob.equals(cipher.seal('t', 'c').blob)).toBe(false);
  });

  it('refuses a tampered blob or one moved to another row', () => {
    const cipher = new TokenCipher([k1]);
    const sealed = cipher.seal('secret-token', 'portal:1:refresh');
    expect(() => cipher.open(sealed, 'portal:2:refresh')).toThrow();
    const tampered = Buffer.from(sealed.blob);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => cipher.open({ keyId: 'k1', blob: tampered }, 'portal:1:refresh')).toThrow();
  });

  it('rotates: new seals use the first key, old ones still open', () => {
    const old = new TokenCipher([k1]).seal('old-token', 'c');
    const rotated = new TokenCipher([k2, k1]);
    expect(rotated.open(old, 'c')).toBe('old-token');
    expect(rotated.seal('new', 'c').keyId).toBe('k2');
    expect(() => new TokenCipher([k2]).open(old, 'c')).toThrow(/no encryption key "k1"/);
  });
});

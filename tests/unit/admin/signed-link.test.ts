import { describe, expect, it } from 'vitest';
import { LINK_TTL_MS, signAdminLink, verifyAdminLink } from '../../../server/admin/signed-link.ts';

const key = Buffer.alloc(32, 1);
const who = { portalId: 9_000_007, userId: 7_001, userEmail: 'admin@example.com' };

describe('signed entry links', () => {
  it('verify until they expire, five minutes after signing', () => {
    const now = Date.parse('2026-11-01T10:00:00Z');
    const { token, expiresAt } = signAdminLink(key, who, now);
    expect(expiresAt).toBe(now + LINK_TTL_MS);
    expect(verifyAdminLink(key, token, now + LINK_TTL_MS - 1)).toMatchObject({ ok: true, claims: who });
    expect(verifyAdminLink(key, token, now + LINK_TTL_MS)).toEqual({ ok: false, reason: 'expired' });
  });

  it('carry a fresh nonce each time', () => {
    const a = verifyAdminLink(key, signAdminLink(key, who, 0).token, 1);
    const b = verifyAdminLink(key, signAdminLink(key, who, 0).token, 1);
    expect(a.ok && b.ok && a.claims.nonce !== b.claims.nonce).toBe(true);
  });

  it('are refused when any byte changes or another key signed them', () => {
    const now = Date.now();
    const { token } = signAdminLink(key, who, now);
    for (let i = 0; i < token.length; i++) {
      const c = token[i] === 'A' ? 'B' : 'A';
      const changed = `${token.slice(0, i)}${c}${token.slice(i + 1)}`;
      const check = verifyAdminLink(key, changed, now);
      expect(check.ok, `byte ${i}`).toBe(false);
    }
    expect(verifyAdminLink(Buffer.alloc(32, 2), token, now)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyAdminLink(key, undefined, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyAdminLink(key, `${token}.x`, now)).toEqual({ ok: false, reason: 'malformed' });
  });
});

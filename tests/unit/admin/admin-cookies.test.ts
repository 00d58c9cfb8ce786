import { describe, expect, it } from 'vitest';
import { adminCookies } from '../../../server/http/admin-auth.ts';

describe('the admin session cookie', () => {
  it('is Secure with the __Host- prefix, except for plain http on a loopback host', () => {
    expect(adminCookies('https://closed-loop.example.com')).toEqual({
      secure: true,
      session: '__Host-cl_admin',
      login: '__Host-cl_admin_login',
    });
    expect(adminCookies('https://localhost:3000').secure).toBe(true);
    for (const local of ['http://127.0.0.1:4321', 'http://localhost:3000', 'http://[::1]:3000'])
      expect(adminCookies(local), local).toEqual({ secure: false, session: 'cl_admin', login: 'cl_admin_login' });
    // A public server on plain http keeps Secure: the browser won't send the cookie, so sign-in fails closed.
    expect(adminCookies('http://closed-loop.example.com').secure).toBe(true);
  });
});

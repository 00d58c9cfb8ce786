import type { Request, RequestHandler, Response } from 'express';
import type { Queryable } from '../db/pool.ts';
import { resumeAdminSession, type AdminSession } from '../admin/sessions.ts';

/**
 * The admin session's cookie: httpOnly, SameSite=Lax, Secure, named with the `__Host-` prefix (so no
 * subdomain can set or scope it). The one exception is a server whose public URL is plain http on a
 * loopback host (the tests and local development): browsers never send a Secure cookie over http, so
 * there the cookie is not Secure and carries no prefix. A non-loopback http URL keeps Secure, and
 * sign-in fails closed.
 */
export type AdminCookies = { secure: boolean; session: string; login: string };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function adminCookies(publicBaseUrl: string): AdminCookies {
  const url = new URL(publicBaseUrl);
  const secure = !(url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  const prefix = secure ? '__Host-' : '';
  return { secure, session: `${prefix}cl_admin`, login: `${prefix}cl_admin_login` };
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      // A mangled value (a lone %) is no session, not an error.
      return undefined;
    }
  }
  return undefined;
}

export function setCookie(res: Response, cookies: AdminCookies, name: string, value: string, maxAgeMs: number): void {
  res.cookie(name, value, { httpOnly: true, secure: cookies.secure, sameSite: 'lax', path: '/', maxAge: maxAgeMs });
}

export function clearCookie(res: Response, cookies: AdminCookies, name: string): void {
  res.clearCookie(name, { httpOnly: true, secure: cookies.secure, sameSite: 'lax', path: '/' });
}

/** The live admin session of a request, if its cookie names one. */
export function sessionOf(
  req: Request,
  db: Queryable,
  cookies: AdminCookies,
  now: Date,
): Promise<AdminSession | undefined> {
  return resumeAdminSession(db, readCookie(req, cookies.session), now);
}

/**
 * Headers of every admin and report response: nothing cached, nothing framed, no referrer (an entry
 * link's token must not travel on), and a policy that lets the page load only this server's own
 * script and styles.
 */
export const adminSecurityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Cache-Control': 'no-store',
    'Content-Security-Policy':
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
      "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  });
  next();
};

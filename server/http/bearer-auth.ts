import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

/**
 * Lets a request through only with `Authorization: Bearer <token>`, compared in constant time;
 * otherwise 401 with `refusal` as the message. For the operator API and the metrics scrape.
 */
export function bearerAuth(token: string, refusal: string): RequestHandler {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, res, next) => {
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      next();
      return;
    }
    res.status(401).json({ ok: false, error: { message: refusal } });
  };
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/pool.ts';
import {
  deleteAdminSession,
  deleteExpiredAdminSessions,
  findLiveAdminSession,
  insertAdminSession,
  touchAdminSession,
} from '../db/repositories/admin-sessions.ts';

/**
 * Admin page sessions, kept server-side. The browser holds a random 256-bit id; the table holds its
 * SHA-256 (the id is random, so a fast hash is enough). A session ends 30 minutes after its last
 * request or 8 hours after it began, whichever comes first, or when its portal is no longer installed.
 * Each session has its own CSRF token (synchronizer pattern), compared in constant time.
 */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 8 * 60 * 60_000;
/** last_seen_at is written at most this often, so reading a page isn't a write per request. */
const TOUCH_EVERY_MS = 60_000;

export type AdminSession = {
  idHash: Buffer;
  portalId: number;
  userId: number;
  userEmail: string | null;
  via: 'oauth' | 'link';
  csrfToken: string;
  expiresAt: Date;
};

export type StartedSession = AdminSession & { id: string };

export async function startAdminSession(
  db: Queryable,
  who: { portalId: number; userId: number; userEmail: string | null; via: 'oauth' | 'link' },
  now: Date,
): Promise<StartedSession> {
  await deleteExpiredAdminSessions(db, now);
  const id = randomBytes(32).toString('base64url');
  const session: StartedSession = {
    id,
    idHash: hashSessionId(id),
    ...who,
    csrfToken: randomBytes(32).toString('base64url'),
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
  };
  await insertAdminSession(db, who.portalId, { ...session, now });
  return session;
}

/** The live session a browser presents, its idle clock restarted; undefined when there is none. */
export async function resumeAdminSession(
  db: Queryable,
  id: string | undefined,
  now: Date,
): Promise<AdminSession | undefined> {
  if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  const idHash = hashSessionId(id);
  const row = await findLiveAdminSession(db, idHash, now, SESSION_IDLE_MS);
  if (!row) return undefined;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS)
    await touchAdminSession(db, row.portalId, idHash, now);
  return {
    idHash,
    portalId: row.portalId,
    userId: row.userId,
    userEmail: row.userEmail,
    via: row.via,
    csrfToken: row.csrfToken,
    expiresAt: row.expiresAt,
  };
}

export async function endAdminSession(db: Queryable, session: AdminSession): Promise<void> {
  await deleteAdminSession(db, session.portalId, session.idHash);
}

/** Whether a request's CSRF token is this session's, in constant time. */
export function csrfTokenMatches(session: AdminSession, given: string | undefined): boolean {
  if (given === undefined) return false;
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function hashSessionId(id: string): Buffer {
  return createHash('sha256').update(id, 'utf8').digest();
}

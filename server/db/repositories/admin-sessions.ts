import type { Queryable } from '../pool.ts';

export type AdminSessionRow = {
  portalId: number;
  userId: number;
  userEmail: string | null;
  via: 'oauth' | 'link';
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
};

export async function insertAdminSession(
  db: Queryable,
  portalId: number,
  session: {
    idHash: Buffer;
    userId: number;
    userEmail: string | null;
    via: 'oauth' | 'link';
    csrfToken: string;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO admin_sessions (id_hash, portal_id, user_id, user_email, via, csrf_token, created_at, last_seen_at,
                                 expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)`,
    [
      session.idHash,
      portalId,
      session.userId,
      session.userEmail,
      session.via,
      session.csrfToken,
      session.now,
      session.expiresAt,
    ],
  );
}

/**
 * The live session with this id hash, with its portal still installed: a session is how its portal is
 * learned, so this lookup is not scoped by one.
 */
export async function findLiveAdminSession(
  db: Queryable,
  idHash: Buffer,
  now: Date,
  idleMs: number,
): Promise<AdminSessionRow | undefined> {
  const { rows } = await db.query<AdminSessionRow>(
    `/* cross-portal: the session names its portal */
     SELECT s.portal_id AS "portalId", s.user_id AS "userId", s.user_email AS "userEmail", s.via,
            s.csrf_token AS "csrfToken", s.created_at AS "createdAt", s.last_seen_at AS "lastSeenAt",
            s.expires_at AS "expiresAt"
       FROM admin_sessions s JOIN portals p ON p.portal_id = s.portal_id AND p.status = 'installed'
      WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $2::timestamptz - make_interval(secs => $3)`,
    [idHash, now, idleMs / 1000],
  );
  return rows[0];
}

export async function touchAdminSession(db: Queryable, portalId: number, idHash: Buffer, now: Date): Promise<void> {
  await db.query(`UPDATE admin_sessions SET last_seen_at = $3 WHERE portal_id = $1 AND id_hash = $2`, [
    portalId,
    idHash,
    now,
  ]);
}

export async function deleteAdminSession(db: Queryable, portalId: number, idHash: Buffer): Promise<void> {
  await db.query(`DELETE FROM admin_sessions WHERE portal_id = $1 AND id_hash = $2`, [portalId, idHash]);
}

/** Ends every session of one user of a portal (the user stopped being an admin). */
export async function deleteAdminSessionsOfUser(db: Queryable, portalId: number, userId: number): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM admin_sessions WHERE portal_id = $1 AND user_id = $2`, [
    portalId,
    userId,
  ]);
  return rowCount ?? 0;
}

/** Sessions past their absolute expiry, of every portal: housekeeping when a new session starts. */
export async function deleteExpiredAdminSessions(db: Queryable, now: Date): Promise<number> {
  const { rowCount } = await db.query(
    `/* cross-portal: expired sessions of any portal are garbage */ DELETE FROM admin_sessions WHERE expires_at <= $1`,
    [now],
  );
  return rowCount ?? 0;
}

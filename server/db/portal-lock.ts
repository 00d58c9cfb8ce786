import type pg from 'pg';

/**
 * A lock on one portal's piece of work, shared by every worker process on every machine: a Postgres
 * session-level advisory lock held on a connection of its own for as long as the work runs. If the
 * process dies, Postgres ends the session and the lock goes with it, so no lock outlives its holder
 * and none needs a timeout.
 *
 * The key is `hashtextextended('<scope>:<portalId>')` (64 bits): portal ids don't fit the two-int4
 * form, and a collision between two of them would only serialise two portals' work, never mix it.
 */
export type PortalLockScope = 'sync' | 'sync-full';

export type LockOutcome<T> = { acquired: true; value: T } | { acquired: false };

/** Runs `work` under the lock if it is free right now; if another holder has it, runs nothing. */
export async function withPortalLockIfFree<T>(
  pool: pg.Pool,
  scope: PortalLockScope,
  portalId: number,
  work: () => Promise<T>,
): Promise<LockOutcome<T>> {
  const client = await pool.connect();
  const held = { broken: false };
  try {
    if (!(await tryLock(client, scope, portalId))) return { acquired: false };
    return { acquired: true, value: await underLock(client, held, scope, portalId, work) };
  } finally {
    client.release(held.broken);
  }
}

/**
 * Runs `work` under the lock, waiting for it first (polling, so the wait ends when `signal` aborts:
 * a worker shutting down must not hang on another holder's long sync).
 */
export async function withPortalLock<T>(
  pool: pg.Pool,
  scope: PortalLockScope,
  portalId: number,
  work: () => Promise<T>,
  options: { signal?: AbortSignal | undefined; pollMs?: number } = {},
): Promise<T> {
  const client = await pool.connect();
  const held = { broken: false };
  try {
    while (!(await tryLock(client, scope, portalId))) {
      options.signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
    }
    return await underLock(client, held, scope, portalId, work);
  } finally {
    client.release(held.broken);
  }
}

async function tryLock(client: pg.PoolClient, scope: PortalLockScope, portalId: number): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(
    `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`,
    [`${scope}:${portalId}`],
  );
  return rows[0]!.locked;
}

async function underLock<T>(
  client: pg.PoolClient,
  held: { broken: boolean },
  scope: PortalLockScope,
  portalId: number,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } finally {
    // A connection that could not unlock goes back to the pool destroyed: ending its session is what
    // releases the lock then.
    await client
      .query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`${scope}:${portalId}`])
      .catch(() => (held.broken = true));
  }
}

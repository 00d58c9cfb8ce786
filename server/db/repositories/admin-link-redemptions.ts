import type { Queryable } from '../pool.ts';

/**
 * Records that a signed entry link was redeemed. False when its nonce was redeemed before: a link is
 * single use. Redemptions of links that have expired anyway are dropped on the way (of any portal:
 * they can no longer be presented, so they protect nothing).
 */
export async function redeemAdminLink(
  db: Queryable,
  portalId: number,
  link: { nonce: string; expiresAt: Date; now: Date },
): Promise<boolean> {
  await db.query(
    `/* cross-portal: expired links of any portal can't be replayed */
     DELETE FROM admin_link_redemptions WHERE expires_at < $1`,
    [link.now],
  );
  const { rowCount } = await db.query(
    `INSERT INTO admin_link_redemptions (portal_id, nonce, expires_at, redeemed_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (portal_id, nonce) DO NOTHING`,
    [portalId, link.nonce, link.expiresAt, link.now],
  );
  return (rowCount ?? 0) > 0;
}
